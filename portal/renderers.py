"""A form renderer that writes the plain widgets (text-like inputs, checkboxes, textareas)
in Python, with exactly the markup of Django's widget templates.

Django renders every widget through three small templates (the widget, input.html and
attrs.html); on the measure page, with some thirty fields, that was two thirds of the page's
time. Everything else (radio groups, selects, form layouts) still uses the templates.
"""

from html import escape

from django.forms.renderers import DjangoTemplates


def conditional_escape(text):
    """Django's conditional_escape without its lazy-string wrapper (a third of the time
    here): safe strings stay as they are, everything else goes through html.escape."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(str(text))


WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "url",
        "tel",
        "search",
        "password",
        "hidden",
        "date",
        "time",
        "datetime",
        "checkbox",
    )
}
TEXTAREA = f"{WIDGETS}textarea.html"
OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}


def _attrs(attrs):
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def render_input(widget):
    value = widget["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>'
    )


def render_textarea(widget):
    value = widget["value"]
    text = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{text}</textarea>"
    )


def render_option(widget):
    """One radio button or checkbox of a group, as its `tag` (optionally wrapped in a label)."""
    html = render_input(widget)
    if widget.get("wrap_label"):
        label_for = widget["attrs"].get("id")
        for_attr = f' for="{conditional_escape(label_for)}"' if label_for else ""
        # (input.html's closing newline stays inside the label, as with the templates)
        html = f"<label{for_attr}>{html}\n {conditional_escape(widget['label'])}</label>"
    return html


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in INPUTS:
                return render_input(widget)
            if template_name == TEXTAREA:
                return render_textarea(widget)
            if template_name in OPTIONS:
                return render_option(widget)
        return super().render(template_name, context, request)
