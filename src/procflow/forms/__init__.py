"""The one-stop office's forms: which circular and which form number apply to a dossier."""

from procflow.forms.version import Circular, FormKind, FormVersion, form_version

__all__ = ["Circular", "FormKind", "FormVersion", "form_version"]
