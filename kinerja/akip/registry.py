"""What this app offers the shared pages: navigation entries, demo steps, home cards."""


def register() -> None:
    """Register the app's navigation entries and demo step."""
