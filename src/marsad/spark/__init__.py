"""The batch job on Apache Spark: the same coder in mapPartitions, dedup by blocks (docs/spark.md).

`marsad.spark.records` and `marsad.spark.blocks` are pure (no Spark); `marsad.spark.job` runs them
on Spark and imports pyspark only when a job starts; `marsad.spark.commands` adds `spark-code` and
`ingest-events` to the `marsad` command.
"""
