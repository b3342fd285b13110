"""安民 Anmin — a platform for a county-level city's 平安建设 and 社会治安综合治理 work."""

__version__ = "0.1.0"
