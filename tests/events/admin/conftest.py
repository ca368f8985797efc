"""Fixtures for the admin tests: the three kinds of user, logged-in clients, and form helpers.

Users: `superuser`; `editor` (staff, group "Editors": curates but cannot publish) and
`reviewer` (staff, group "Reviewers": may also publish). The groups come from the data
migration 0004. Forms are read back from the admin's own HTML (`form_fields`), so a POST
sends exactly what a browser would, inline management forms included.
"""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.test import Client

ADMIN = "/admin"


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("admin-tests-super", "super@example.org", "pw-for-tests-only")


def _staff_in(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db) -> User:
    """Staff in "Editors": view, add, change and delete timeline records; no publishing, no users."""
    return _staff_in("Editors", "admin-tests-editor")


@pytest.fixture
def reviewer(db) -> User:
    """Staff in "Reviewers": everything an editor may do, plus publish and unpublish."""
    return _staff_in("Reviewers", "admin-tests-reviewer")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(superuser) -> Client:
    return logged_in(superuser)


@pytest.fixture
def editor_client(editor) -> Client:
    return logged_in(editor)


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    return logged_in(reviewer)


def messages_of(response) -> list[str]:
    """The admin messages a request produced (shown on the next page an editor sees)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


class _FormParser(HTMLParser):
    """Collects the fields of one <form> as a browser would submit them (no submit buttons)."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_values: list[str] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            if self.form_id is None:
                chosen = (attrs.get("method") or "").lower() == "post" and attrs.get("id") != "logout-form"
            else:
                chosen = attrs.get("id") == self.form_id
            self.in_form = chosen
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_values = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = attrs.get("value")
            self._option_selected = "selected" in attrs
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form, self.done = False, True
        elif tag == "option" and self._select is not None:
            if self._option_selected:
                value = self._option_value if self._option_value is not None else self._option_text
                self._select_values.append(value)
            self._option_value, self._option_selected = None, False
        elif tag == "select" and self._select is not None:
            for value in self._select_values:
                self.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            text = self._textarea_text[1:] if self._textarea_text.startswith("\n") else self._textarea_text
            self.fields.append((self._textarea, text))
            self._textarea = None


def form_fields(response, form_id: str | None = None) -> dict[str, str | list[str]]:
    """The fields of the page's form (`form_id`, else its first POST form but the logout button)
    as a browser would submit them.

    Multi-valued fields (a many-to-many select) come back as lists; the empty inline form
    templates (names holding "__prefix__") are left out, as the admin's JavaScript does.
    """
    assert response.status_code == 200, (response.status_code, response.content[:300])
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    assert parser.done, f"no form {form_id or ''} on the page"
    data: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if "__prefix__" in name:
            continue
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    return data


def form_errors(response) -> list[str]:
    """Every error an admin form page shows: the main form's, then each inline's (flattened)."""
    context = response.context
    assert context is not None and "adminform" in context, (response.status_code, response.content[:300])
    errors = [str(message) for messages in context["adminform"].form.errors.values() for message in messages]
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        errors += [str(message) for message in formset.non_form_errors()]
        for form_errors_ in formset.errors:
            errors += [str(message) for messages in form_errors_.values() for message in messages]
    return errors


def table_rows(response) -> list[str]:
    """The text of each table row of a page, tags dropped and spaces collapsed, as an editor reads it."""
    html = response.content.decode()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def row_of(response, text: str) -> str:
    """The one table row of the page holding `text`."""
    found = [row for row in table_rows(response) if text in row]
    assert len(found) == 1, (text, found)
    return found[0]
