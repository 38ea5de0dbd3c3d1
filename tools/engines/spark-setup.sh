#!/usr/bin/env bash
# A local Spark that is AWS Glue 5.0's: PySpark 3.5.4 (Python 3.11, Java 17) in a project-local
# virtual environment, plus the jars Glue puts beside it for our jobs (PostgreSQL's JDBC driver,
# Hadoop's S3A file system and the AWS SDK bundle it was built against). Everything lands in
# .cache/spark/ (git-ignored); a second run finds the stamp and does nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Pins, in one place. Spark 3.5.4 ships Hadoop 3.3.4, whose hadoop-aws was built against
# aws-java-sdk-bundle 1.12.262: S3A must match the Hadoop on the class path exactly.
PYSPARK_VERSION=3.5.4
# moto's S3 server: the loopback S3 the Spark suites use (S3A writes folder markers s3rver cannot store).
MOTO_VERSION=5.1.1
HADOOP_VERSION=3.3.4
AWS_SDK_BUNDLE_VERSION=1.12.262
POSTGRES_JDBC_VERSION=42.7.4
JARS=(
  "org.postgresql:postgresql:${POSTGRES_JDBC_VERSION}"
  "org.apache.hadoop:hadoop-aws:${HADOOP_VERSION}"
  "com.amazonaws:aws-java-sdk-bundle:${AWS_SDK_BUNDLE_VERSION}"
)

CACHE=.cache/spark
STAMP="$CACHE/ready"
WANT="pyspark=${PYSPARK_VERSION} moto=${MOTO_VERSION} ${JARS[*]}"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$CACHE/venv/bin/spark-submit" ]; then
  echo "spark:setup: nothing to do; $CACHE has PySpark ${PYSPARK_VERSION}, moto ${MOTO_VERSION} and ${#JARS[@]} jars"
  exit 0
fi

command -v java >/dev/null || { echo "spark:setup: java not found (Spark 3.5 needs Java 17)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "spark:setup: mvn not found (it fetches the jars)" >&2; exit 1; }

rm -f "$STAMP"
mkdir -p "$CACHE/jars"
if [ ! -x "$CACHE/venv/bin/python" ]; then
  python3 -m venv "$CACHE/venv"
fi
if ! "$CACHE/venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '${PYSPARK_VERSION}')" 2>/dev/null; then
  echo "spark:setup: installing pyspark==${PYSPARK_VERSION} into $CACHE/venv"
  "$CACHE/venv/bin/pip" install --quiet --disable-pip-version-check --cache-dir "$CACHE/pip" "pyspark==${PYSPARK_VERSION}"
  echo "spark:setup: fetched pyspark $("$CACHE/venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"
fi
if ! "$CACHE/venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('moto') != '${MOTO_VERSION}')" 2>/dev/null; then
  echo "spark:setup: installing moto[server]==${MOTO_VERSION} (the Spark suites' loopback S3)"
  "$CACHE/venv/bin/pip" install --quiet --disable-pip-version-check --cache-dir "$CACHE/pip" "moto[server]==${MOTO_VERSION}"
  echo "spark:setup: fetched moto ${MOTO_VERSION}"
fi

for coordinates in "${JARS[@]}"; do
  IFS=: read -r group artifact version <<<"$coordinates"
  jar="$CACHE/jars/${artifact}-${version}.jar"
  [ -f "$jar" ] && continue
  echo "spark:setup: fetching ${coordinates}"
  mvn --batch-mode --quiet -Dstyle.color=never -Dmaven.repo.local="$CACHE/m2" dependency:copy \
    -Dartifact="${coordinates}:jar" -DoutputDirectory="$CACHE/jars" -Dmdep.overWriteIfNewer=false
  echo "spark:setup: fetched $(basename "$jar") ($(du -h "$jar" | cut -f1))"
done

java_version=$(java -version 2>&1 | head -1)
echo "$WANT" >"$STAMP"
echo "spark:setup: ready in $CACHE: pyspark ${PYSPARK_VERSION}, moto ${MOTO_VERSION}, ${java_version}; jars: $(ls "$CACHE/jars" | tr '\n' ' ')"
