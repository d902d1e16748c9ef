"""Django's template engine, writing numbers and dates in templates as they are instead of through the locale.

The site is in English only (USE_I18N off, no thousands separator). There, localising a number gives the same
text as leaving it alone, but Django looks up the locale's formats for every number a template prints: the
dashboard prints about 75, the module list about 80, and those lookups were a fifth of those pages' CPU. This
backend renders every template as `{% localize off %}` would (dates keep DATE_FORMAT and DATETIME_FORMAT, which
are the English ones). studyapp/tests/test_template_engine.py holds the two renderings equal for the settings in
use: turning on thousands separators or another language fails it, and this backend should then go. The one
difference is a number Python itself writes with an exponent (1e-05, Decimal("1E+3")), which prints that way
here; the app prints none (money is in cents, shares are rounded).
"""

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context


class Template(django_backend.Template):
    def render(self, context=None, request=None):
        context = make_context(context, request, autoescape=self.backend.engine.autoescape, use_l10n=False)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)


class DjangoTemplates(django_backend.DjangoTemplates):
    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)
