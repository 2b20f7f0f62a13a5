"""Electronic signatures of certificates, through one interface.

A `Signer` takes the PDF bytes, the passphrase the signer typed and the reason, and returns the
signed PDF. The passphrase is only passed along: no signer keeps it, writes it or logs it.

- `LocalSigner` signs PAdES (pyHanko) with a test certificate made here with ``cryptography``
  at first use: a self-signed test CA and one signing certificate per signer, under
  ``KINERJA_CERTIFICATE_KEY_DIR`` (``var/signing/`` by default, never in git). The signer's
  private key is encrypted with the passphrase typed at its first signature; a later signature
  with another passphrase is refused. For the demo and tests only: its CA is trusted by nobody.
- `NationalCaSigner` calls the national certificate authority's signing service (BSrE-style):
  a multipart POST of the signer's NIK, the passphrase and the PDF, asking for an invisible
  signature; it answers the signed PDF, or JSON with an error status that is mapped to a clear
  message (wrong passphrase, signer not registered, service unavailable).

`KINERJA_CERTIFICATE_SIGNER` chooses: ``"local"`` (default) or ``"national_ca"``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _


class SigningError(Exception):
    """A signature that could not be made, with a message for the signer. ``kind`` is one of
    ``passphrase``, ``not_registered``, ``unavailable``, ``refused``."""

    def __init__(self, message: str, kind: str = "refused"):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class SignatureFacts:
    """What a signature says of itself, kept on the certificate."""

    signer_name: str
    signed_at: dt.datetime
    subject: str
    serial: str
    backend: str


class Signer(Protocol):
    backend: str

    def sign(
        self,
        pdf: bytes,
        *,
        passphrase: str,
        reason: str,
        signer_id: str,
        signer_name: str,
        location: str = "",
    ) -> bytes: ...


def signature_facts(signed: bytes, backend: str) -> SignatureFacts:
    """Read the last signature of a signed PDF: its signer's certificate and time."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed))
    embedded = reader.embedded_signatures[-1]
    cert = embedded.signer_cert
    when = embedded.self_reported_timestamp or dt.datetime.now(dt.UTC)
    subject = cert.subject.human_friendly
    common = cert.subject.native.get("common_name") or subject
    return SignatureFacts(
        signer_name=str(common)[:250],
        signed_at=when,
        subject=subject[:400],
        serial=format(cert.serial_number, "X")[:80],
        backend=backend,
    )


# -- the local signer --------------------------------------------------------------------


def _key_dir() -> Path:
    configured = getattr(settings, "KINERJA_CERTIFICATE_KEY_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "signing"


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-")[:60] or "signer"


class LocalSigner:
    """PAdES signatures with a locally made test certificate (see the module docstring)."""

    backend = "local"
    CA_NAME = "Kinerja Test CA (not trusted)"

    def __init__(self, key_dir: Path | None = None):
        self.key_dir = Path(key_dir) if key_dir else _key_dir()
        # The decrypted keys of this signer object's life (one batch), in memory only, under
        # the signer and a digest of the passphrase that opened them.
        self._loaded: dict[tuple[str, str], tuple] = {}

    # The test CA: its key is not protected (it only certifies test signers).
    def ca(self):
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        cert_path, key_path = self.key_dir / "ca.pem", self.key_dir / "ca.key"
        if not cert_path.exists():
            self._make_ca(cert_path, key_path)
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return cert, key

    def ca_certificate_pem(self) -> bytes:
        self.ca()
        return (self.key_dir / "ca.pem").read_bytes()

    def _make_ca(self, cert_path: Path, key_path: Path) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        self.key_dir.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.CA_NAME)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_path.chmod(0o600)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    def _signer_paths(self, signer_id: str) -> tuple[Path, Path]:
        base = self.key_dir / "signers"
        slug = _slug(signer_id)
        return base / f"{slug}.pem", base / f"{slug}.key"

    def _make_signer(self, signer_id: str, signer_name: str, passphrase: str) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        ca_cert, ca_key = self.ca()
        cert_path, key_path = self._signer_paths(signer_id)
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, (signer_name or signer_id)[:64]),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kinerja (test signer)"),
                x509.NameAttribute(NameOID.SERIAL_NUMBER, _slug(signer_id)),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(passphrase.encode()),
            )
        )
        key_path.chmod(0o600)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    def _load(self, signer_id: str, signer_name: str, passphrase: str):
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        if not passphrase:
            raise SigningError(_("Type the signing passphrase."), "passphrase")
        cert_path, key_path = self._signer_paths(signer_id)
        if not key_path.exists():
            self._make_signer(signer_id, signer_name, passphrase)
        try:
            key = serialization.load_pem_private_key(
                key_path.read_bytes(), password=passphrase.encode()
            )
        except (ValueError, TypeError):
            raise SigningError(_("The signing passphrase is wrong."), "passphrase") from None
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        ca_cert, _ca_key = self.ca()
        der = serialization.Encoding.DER
        return (
            asn1_x509.Certificate.load(cert.public_bytes(der)),
            asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(
                    der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            ),
            asn1_x509.Certificate.load(ca_cert.public_bytes(der)),
        )

    def sign(
        self,
        pdf: bytes,
        *,
        passphrase: str,
        reason: str,
        signer_id: str,
        signer_name: str,
        location: str = "",
    ) -> bytes:
        import hashlib

        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        memo = (signer_id, hashlib.sha256(passphrase.encode()).hexdigest())
        if memo not in self._loaded:
            self._loaded[memo] = self._load(signer_id, signer_name, passphrase)
        cert, key, ca = self._loaded[memo]
        signer = signers.SimpleSigner(
            signing_cert=cert,
            signing_key=key,
            cert_registry=SimpleCertificateStore.from_certs([ca]),
        )
        meta = signers.PdfSignatureMetadata(
            field_name="Signature",
            reason=reason[:200],
            location=location[:200] or None,
            name=signer_name[:200] or None,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = signers.sign_pdf(writer, meta, signer=signer)
        return out.getvalue()

    def validation_context(self):
        """A validation context trusting only this test CA (for the tests and the demo)."""
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko_certvalidator import ValidationContext

        ca_cert, _key = self.ca()
        root = asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER))
        return ValidationContext(trust_roots=[root])


# -- the national certificate authority's signing service ----------------------------------

# Error statuses of the service, mapped to what the signer is told. The service answers JSON
# ``{"status_code": <int>, "error": "<text>"}``; HTTP 401 with a passphrase error, 404 or 400
# with an unregistered NIK, 5xx when it cannot sign now.
NATIONAL_CA_ERRORS = {
    2031: "passphrase",
    2021: "not_registered",
    2011: "not_registered",
}


def _message(kind: str) -> str:
    return {
        "passphrase": _("The signing passphrase is wrong."),
        "not_registered": _(
            "The signer is not registered with the certification authority (check the NIK)."
        ),
        "unavailable": _(
            "The certification authority's signing service is not available. Try again later."
        ),
    }.get(kind, _("The certification authority refused to sign the document."))


class NationalCaSigner:
    """The national certificate authority's signing API (see the module docstring)."""

    backend = "national_ca"

    def __init__(
        self,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: tuple[float, float] | None = None,
    ):
        self.base_url = (base_url or getattr(settings, "KINERJA_NATIONAL_CA_URL", "")).rstrip("/")
        self.username = username if username is not None else settings.KINERJA_NATIONAL_CA_USER
        self.password = password if password is not None else settings.KINERJA_NATIONAL_CA_PASSWORD
        self.timeout = timeout or (
            settings.KINERJA_NATIONAL_CA_CONNECT_TIMEOUT,
            settings.KINERJA_NATIONAL_CA_READ_TIMEOUT,
        )

    def sign(
        self,
        pdf: bytes,
        *,
        passphrase: str,
        reason: str,
        signer_id: str,
        signer_name: str,
        location: str = "",
    ) -> bytes:
        import requests

        if not self.base_url:
            raise SigningError(_message("unavailable"), "unavailable")
        if not passphrase:
            raise SigningError(_("Type the signing passphrase."), "passphrase")
        if not signer_id:
            raise SigningError(_message("not_registered"), "not_registered")
        data = {
            "nik": signer_id,
            "passphrase": passphrase,
            "tampilan": "invisible",
            "reason": reason[:200],
            "location": location[:200],
        }
        try:
            response = requests.post(
                f"{self.base_url}/api/sign/pdf",
                data=data,
                files={"file": ("certificate.pdf", pdf, "application/pdf")},
                auth=(self.username, self.password) if self.username else None,
                timeout=self.timeout,
            )
        except requests.RequestException:
            raise SigningError(_message("unavailable"), "unavailable") from None
        kind = self._error_kind(response)
        if kind is not None:
            raise SigningError(_message(kind), kind)
        return response.content

    @staticmethod
    def _error_kind(response) -> str | None:
        content_type = response.headers.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("application/pdf"):
            return None if response.content.startswith(b"%PDF") else "refused"
        if response.status_code >= 500:
            return "unavailable"
        try:
            status = int(json.loads(response.content or b"{}").get("status_code"))
        except (ValueError, TypeError, AttributeError):
            status = None
        if status in NATIONAL_CA_ERRORS:
            return NATIONAL_CA_ERRORS[status]
        if response.status_code == 401:
            return "passphrase"
        if response.status_code == 404:
            return "not_registered"
        return "refused"


def get_signer() -> Signer:
    """The signer the settings choose (``KINERJA_CERTIFICATE_SIGNER``)."""
    kind = getattr(settings, "KINERJA_CERTIFICATE_SIGNER", "local")
    if kind == "national_ca":
        return NationalCaSigner()
    return LocalSigner()
