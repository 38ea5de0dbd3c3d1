"""StreamPulse job runner for AWS Glue (PySpark).

A fixed, generic runner: it reads a job plan (JSON, compiled by @streampulse/contract-sql) and does what
the plan says. It holds no rule of the data contract; every rule travels in the plan as Spark SQL.

  --plan_path s3://bucket/scripts/glue/<job>.json (or --plan); the warehouse (PostgreSQL) from
  --jdbc_url, --jdbc_user, --jdbc_password, else from the Glue connection --connection_name.

A plan that reads nothing (the jobs' default plans) is refused: a run needs a plan of its own.
Plan: {"version", "inputs" (wholetext | jdbc readers into views), "statements" (view <-
sql, in order), "outputs" (jdbc: SQL before, a staging table of the run's own, SQL after, the table
dropped; parquet: its folder's one object; json; lines)}.
"""
import json
import sys
import uuid

from pyspark.sql import SparkSession

PLAN_VERSION = 3
# Stands for the run's own id in a jdbc output's table and after statements.
RUN_ID_TOKEN = "{run_id}"

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
    # The driver itself, not DriverManager: DriverManager sees only drivers its caller's class
    # loader sees, which leaves out a driver added with --jars (found on a local Spark).
    jvm = spark.sparkContext._jvm
    properties = jvm.java.util.Properties()
    properties.setProperty("user", args["jdbc_user"])
    properties.setProperty("password", args["jdbc_password"])
    connection = jvm.org.postgresql.Driver().connect(args["jdbc_url"], properties)
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


def write_staged(spark, args, frame, spec):
    # Each run stages into a table of its own, so runs at once never see each other's rows, and
    # drops it however the run ends.
    run_id = uuid.uuid4().hex
    table = spec["table"].replace(RUN_ID_TOKEN, run_id)
    run_in_warehouse(spark, args, spec.get("before", []))
    try:
        frame.write.jdbc(args["jdbc_url"], table, mode="overwrite", properties=jdbc_properties(args))
        run_in_warehouse(spark, args, [sql.replace(RUN_ID_TOKEN, run_id) for sql in spec["after"]])
    finally:
        run_in_warehouse(spark, args, ["DROP TABLE IF EXISTS %s" % table])


def write_output(spark, args, spec):
    frame = spark.table(spec["view"])
    kind = spec["kind"]
    if kind == "jdbc":
        write_staged(spark, args, frame, spec)
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
    # The plans read no partitioned table, so dynamic partition pruning has nothing to prune; its
    # rule still inlined every alias of the timestamp layers into one expression, which took a
    # 2 GB driver out of heap on a zoned source (found on a local Spark 3.5.4).
    spark.conf.set("spark.sql.optimizer.dynamicPartitionPruning.enabled", "false")
    plan = read_plan(spark, args.get("plan_path") or args["plan"])
    args = warehouse(spark, args)
    for spec in plan["inputs"]:
        read_input(spark, args, spec).createOrReplaceTempView(spec["view"])
    for statement in plan["statements"]:
        # Each view is computed once and stands as a leaf under the statements that read it.
        # Left as lazy views, they are inlined into one tree per output, and Catalyst's optimizer
        # spent minutes on one small file's ETL plan (found on a local Spark 3.5.4).
        frame = spark.sql(statement["sql"]).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(statement["view"])
    for spec in plan["outputs"]:
        write_output(spark, args, spec)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv)
