"""How long a free text may be: one scale for every text field, model and form.

A text past its limit is refused with a Norwegian message (Django's max-length message in
forms; `posted_text` for the few actions that read a text without a form). The limits let a
report's PDF render in well under two seconds even when the text is one unbroken word
(bench/texts.py measures it).
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

from .workflow import Refused

SHORT = 500  # a target group, participants, who is responsible
MEDIUM = 1_000  # a justification, a note
LONG = 3_000  # a narrative answer (about a page), a message to the coordinators
COMMENT = 5_000  # a comment (needs.forms.CommentForm says the same)
DOCUMENT = 10_000  # the conditions of an allocation letter


def text_field(*args, max_length, **kwargs):
    """A TextField that refuses more than `max_length` characters, in its forms (the
    textarea's maxlength and Django's message) and in `full_clean` (imports)."""
    return models.TextField(
        *args, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


def posted_text(request, name, max_length):
    """A posted text, stripped; Refused with a Norwegian message when it is too long."""
    text = request.POST.get(name, "").strip()
    if len(text) > max_length:
        raise Refused(
            _("The text is too long: at most %(max)d characters (it has %(count)d).")
            % {"max": max_length, "count": len(text)}
        )
    return text
