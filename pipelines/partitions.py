"""Partitions: API sources are ingested by UTC day; a backfill of many days runs as one run."""

from dagster import BackfillPolicy, DailyPartitionsDefinition

# Fixed at definition time (no I/O at import). Earlier history is reachable with
# `silo ingest SOURCE --since ...`, which lands the same day files.
daily_partitions = DailyPartitionsDefinition(start_date="2025-01-01", timezone="UTC")

single_run_backfill = BackfillPolicy.single_run()
