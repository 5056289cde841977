"""The benchmarks' synthetic year: ``procflow.sample`` (also ``procflow sample N -o FILE``)."""

from procflow.sample import generate, with_quality_columns, with_source_due_dates, write

__all__ = ["generate", "with_quality_columns", "with_source_due_dates", "write"]
