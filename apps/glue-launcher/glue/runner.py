"""StreamPulse job runner for AWS Glue (PySpark).

A fixed, generic runner: it reads a job plan (JSON, compiled by @streampulse/sql) and does what
the plan says. It holds no rule of the data contract; every rule travels in the plan as Spark SQL.

  --plan_path s3://bucket/scripts/glue/<job>.json (or --plan); the warehouse (PostgreSQL) from
  --jdbc_url, --jdbc_user, --jdbc_password, else from the Glue connection --connection_name.

A plan that reads nothing (the jobs' default plans) is refused: a run needs a plan of its own.
Plan: {"version", "inputs" (wholetext | jdbc readers into views), "statements" (view <-
sql, in order), "outputs" (jdbc staging table then SQL; parquet: its folder's one object; json; lines)}.
"""
import json
import sys
import uuid

from pyspark.sql import SparkSession

PLAN_VERSION = 2

OPTIONS = ["plan_path", "plan", "jdbc_url", "jdbc_user", "jdbc_password", "connection_name"]


def arguments(argv):
    try:
        from awsglue.utils import getResolvedOptions
    except ImportError:  # outside Glue: plain --flag value pairs
        pairs = zip(argv[1::2], argv[2::2])
        return {flag.lstrip("-"): value for flag, value in pairs}
    # getResolvedOptions fails on an option that is absent, so ask only for the ones given.
    present = [option for option in OPTIONS if "--" + option in argv]
    return getResolvedOptions(argv, present)


def warehouse(spark, args):
    if "jdbc_url" in args:
        return args
    if "connection_name" not in args:
        raise ValueError("no warehouse: pass --jdbc_url/--jdbc_user/--jdbc_password or --connection_name")
    from awsglue.context import GlueContext
    conf = GlueContext(spark.sparkContext).extract_jdbc_conf(args["connection_name"])
    # extract_jdbc_conf's url lacks the database; fullUrl has it, when set.
    url = conf.get("fullUrl") or conf["url"]
    return dict(args, jdbc_url=url, jdbc_user=conf["user"], jdbc_password=conf["password"])


def read_plan(spark, path):
    text = "\n".join(row.value for row in spark.read.text(path, wholetext=True).collect())
    plan = json.loads(text)
    if plan.get("version") != PLAN_VERSION:
        raise ValueError("plan version %r, this runner reads %d" % (plan.get("version"), PLAN_VERSION))
    if not plan.get("inputs"):
        raise ValueError("plan %s reads nothing: launch the run with --plan_path of a compiled plan" % path)
    return plan


def jdbc_properties(args):
    return {"user": args["jdbc_user"], "password": args["jdbc_password"], "driver": "org.postgresql.Driver"}


def read_input(spark, args, spec):
    reader = spec["reader"]
    if reader == "jdbc":
        # The query runs in the warehouse, so its filters (the day) are pushed down.
        subquery = "(%s) AS pushed" % spec["query"]
        return spark.read.jdbc(args["jdbc_url"], subquery, properties=jdbc_properties(args))
    if reader != "wholetext":
        raise ValueError("unknown reader %r" % reader)
    # One row per file (column value): the plan's SQL splits it into records.
    return spark.read.text(spec["path"], wholetext=True)


def run_in_warehouse(spark, args, statements):
    driver = spark.sparkContext._jvm.java.sql.DriverManager
    connection = driver.getConnection(args["jdbc_url"], args["jdbc_user"], args["jdbc_password"])
    try:
        connection.setAutoCommit(False)
        for sql in statements:
            connection.createStatement().execute(sql)
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.close()


def write_one_parquet(spark, frame, path):
    # The object replaces its whole folder (other names, formats or engines' parts; no rows leave
    # the folder empty). Spark writes a folder of parts; the one part is written aside (a leading _
    # hides it from Athena and Hive), then moved onto the final key in one step, so readers see the
    # old object or the new one, never a half.
    final_path = spark.sparkContext._jvm.org.apache.hadoop.fs.Path(path)
    fs = final_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    written = frame.limit(1).count() > 0
    if written:
        scratch = final_path.getParent().suffix("/_tmp-" + uuid.uuid4().hex)
        frame.coalesce(1).write.mode("overwrite").parquet(scratch.toString())
        parts = [s.getPath() for s in fs.listStatus(scratch) if s.getPath().getName().endswith(".parquet")]
        if len(parts) != 1:
            raise RuntimeError("expected one Parquet part in %s, found %d" % (scratch, len(parts)))
        fs.delete(final_path, False)
        if not fs.rename(parts[0], final_path):
            raise RuntimeError("could not move %s to %s" % (parts[0], path))
    folder = final_path.getParent()
    for status in fs.listStatus(folder) if fs.exists(folder) else []:
        if not written or status.getPath().getName() != final_path.getName():
            fs.delete(status.getPath(), True)  # the scratch folder too


def write_output(spark, args, spec):
    frame = spark.table(spec["view"])
    kind = spec["kind"]
    if kind == "jdbc":
        frame.write.jdbc(args["jdbc_url"], spec["table"], mode="overwrite", properties=jdbc_properties(args))
        run_in_warehouse(spark, args, spec["after"])
    elif kind == "parquet":
        write_one_parquet(spark, frame, spec["path"])
    elif kind == "json":
        frame.write.mode("overwrite").json(spec["path"])
    elif kind == "lines":  # the view's one column holds each row's whole line
        frame.write.mode("overwrite").text(spec["path"])
    else:
        raise ValueError("unknown output %r" % kind)


def main(argv):
    args = arguments(argv)
    spark = SparkSession.builder.appName("streampulse-runner").getOrCreate()
    plan = read_plan(spark, args.get("plan_path") or args["plan"])
    args = warehouse(spark, args)
    for spec in plan["inputs"]:
        read_input(spark, args, spec).createOrReplaceTempView(spec["view"])
    for statement in plan["statements"]:
        spark.sql(statement["sql"]).createOrReplaceTempView(statement["view"])
    for spec in plan["outputs"]:
        write_output(spark, args, spec)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv)
