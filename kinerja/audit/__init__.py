"""Append-only audit trail. Call `kinerja.audit.services.record` from services."""
