"""What the dashboards part of the analytics app offers the shared pages (navigation)."""


def register() -> None:
    """Register the dashboards navigation entries."""
