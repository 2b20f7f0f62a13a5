"""The upload form: what to import, the file, and whether only to check it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import importers
from .readers import EXTENSIONS, ImportFileError, estimate_rows, extension


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Excel (.xlsx) or CSV (.csv, UTF-8, comma or semicolon)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run only: check every row and write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in importers()]
        self.estimated_rows = 0

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension(upload.name) not in EXTENSIONS:
            raise forms.ValidationError(
                _("Upload an Excel (.xlsx) or CSV (.csv) file, not '%(name)s'.")
                % {"name": upload.name}
            )
        limit = settings.KINERJA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        try:
            # Streams the file (Django keeps a large upload on disk): nothing is held whole.
            self.estimated_rows = estimate_rows(upload, upload.name)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
