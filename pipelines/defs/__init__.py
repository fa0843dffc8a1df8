"""Dagster wiring, one module per stage: thin assets, jobs, schedule, sensors, resources.

Everything here calls the plain libraries of `pipelines/` (which never import Dagster).
"""
