"""Sign-up; the rest of the account pages are Django's own auth views."""

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from studyapp import throttle


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_email(self) -> str:
        """One account per address: the address is what a password reset trusts."""
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account already uses this e-mail address. Log in, or reset its password.")
        return email


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("lessons")
    if request.method == "POST" and throttle.exceeded(request, "signup", key="ip"):
        return throttle.refused(request, "Too many accounts were created from your network recently. Try again in an hour.")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="studyapp.auth_backend.CachedUserBackend")
        return redirect("first_steps")
    return render(request, "registration/signup.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with a limit per network and per address, so nobody can flood an inbox."""

    def post(self, request, *args, **kwargs):
        address = request.POST.get("email", "").strip().lower()[:254]
        over_ip = throttle.exceeded(request, "password_reset_ip", key="ip")
        over_address = throttle.exceeded(request, "password_reset_email", key=lambda group, request: address)
        if over_ip or over_address:
            return throttle.refused(request, "Too many reset e-mails were asked for recently. Check your inbox (and spam folder), or try again in an hour.")
        return super().post(request, *args, **kwargs)
