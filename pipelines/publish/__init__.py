"""Stage 6: what leaves the pipeline: the snapshot, its pseudonymisation, the CTO report,
the headline signals and alert rules. No Dagster import.
"""
