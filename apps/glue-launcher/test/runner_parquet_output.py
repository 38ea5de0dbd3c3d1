"""Runs the Glue runner's Parquet output against an in-memory Hadoop file system.

Spark cannot run here, so pyspark is stubbed and the runner's own write_one_parquet is called
with a fake SparkSession whose JVM Path and FileSystem keep files in a dict. Prints the folder
listings after each scenario as JSON; the vitest wrapper asserts on them.
"""
import importlib.util
import json
import sys
import types

for name in ["pyspark", "pyspark.sql", "pyspark.sql.functions", "pyspark.sql.types"]:
    sys.modules[name] = types.ModuleType(name)
sys.modules["pyspark.sql"].SparkSession = object
sys.modules["pyspark.sql"].functions = sys.modules["pyspark.sql.functions"]
for name in ["StringType", "StructField", "StructType"]:
    setattr(sys.modules["pyspark.sql.types"], name, object)

spec = importlib.util.spec_from_file_location("runner", sys.argv[1])
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)

FILES = {}
WRITTEN_TO = []


class Path:
    def __init__(self, text):
        self.text = text.rstrip("/")

    def getFileSystem(self, conf):
        return FileSystem()

    def getParent(self):
        return Path(self.text.rsplit("/", 1)[0])

    def getName(self):
        return self.text.rsplit("/", 1)[1]

    def suffix(self, text):
        return Path(self.text + text)

    def toString(self):
        return self.text

    __str__ = toString


class Status:
    def __init__(self, path):
        self.path = path

    def getPath(self):
        return self.path


class FileSystem:
    def children(self, path):
        prefix = path.text + "/"
        names = {key[len(prefix):].split("/")[0] for key in FILES if key.startswith(prefix)}
        return [Path(prefix + name) for name in sorted(names)]

    def exists(self, path):
        return path.text in FILES or bool(self.children(path))

    def listStatus(self, path):
        if not self.exists(path):
            raise FileNotFoundError(path.text)
        return [Status(child) for child in self.children(path)]

    def delete(self, path, recursive):
        for key in [k for k in FILES if k == path.text or (recursive and k.startswith(path.text + "/"))]:
            del FILES[key]
        return True

    def rename(self, source, target):
        FILES[target.text] = FILES.pop(source.text)
        return True


class Writer:
    def __init__(self, rows):
        self.rows = rows

    def mode(self, mode):
        return self

    def parquet(self, folder):
        WRITTEN_TO.append(folder)
        FILES[folder + "/part-00000-abc.snappy.parquet"] = self.rows
        FILES[folder + "/_SUCCESS"] = ""


class Frame:
    def __init__(self, rows):
        self.rows = rows
        self.write = Writer(rows)

    def limit(self, n):
        return self

    def count(self):
        return len(self.rows)

    def coalesce(self, n):
        return self


spark = types.SimpleNamespace(
    sparkContext=types.SimpleNamespace(
        _jvm=types.SimpleNamespace(org=types.SimpleNamespace(apache=types.SimpleNamespace(
            hadoop=types.SimpleNamespace(fs=types.SimpleNamespace(Path=Path))))),
        _jsc=types.SimpleNamespace(hadoopConfiguration=lambda: None),
    )
)

DAY = "s3://lake/analytics/daily_aggregates/year=2025/month=03/day=14"
OTHER = "s3://lake/analytics/daily_aggregates/year=2025/month=03/day=15/part-0.parquet"
results = {}
FILES.update({DAY + "/part-0.parquet": "old", DAY + "/part-0.csv": "old csv",
              DAY + "/20250314_athena_00000": "athena", OTHER: "other day"})
runner.write_one_parquet(spark, Frame("new rows"), DAY + "/part-0.parquet")
results["rows"] = dict(FILES)
results["spark wrote into"] = {folder: "" for folder in WRITTEN_TO}
runner.write_one_parquet(spark, Frame(""), DAY + "/part-0.parquet")
results["no rows"] = dict(FILES)
runner.write_one_parquet(spark, Frame(""), "s3://lake/analytics/daily_aggregates/year=2025/month=04/day=01/part-0.parquet")
results["no rows, no folder"] = dict(FILES)
print(json.dumps(results))
