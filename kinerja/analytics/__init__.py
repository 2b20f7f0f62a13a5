"""Read models and what leadership reads: dashboards, early warning, cascade health, reports.

It reads what the other apps keep (the performance roll-ups, the regional projects, the training
impact) and composes it; it writes nothing of theirs."""
