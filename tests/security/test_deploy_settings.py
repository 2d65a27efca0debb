"""Production settings: `check --deploy` is clean, and a missing secret key stops start-up."""

import os
import secrets
import string
import subprocess
import sys

from django.conf import settings

# Variables the settings read; each test states the ones it wants and inherits none.
PROJECT_VARIABLES = {
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_URL",
    "HTTPS",
    "PROXY_SSL_HEADER",
    "SECRET_KEY",
}


def production_env(**variables):
    """The environment of a production process: DATABASE_URL kept, the rest as given."""
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "dz_awards.settings"
    env["DEBUG"] = "0"
    env.update(variables)
    return env


def random_secret_key():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def run(args, env):
    return subprocess.run(  # noqa: S603 our own interpreter and manage.py, fixed arguments
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def check_deploy(env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_check_deploy_production_settings_no_issues():
    """With the documented production variables set, `check --deploy` reports nothing at all."""
    result = check_deploy(
        production_env(
            SECRET_KEY=random_secret_key(),
            ALLOWED_HOSTS="awards.example.org",
            EMAIL_URL="smtp+tls://u:p@smtp.example.org:587",
        )
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_console_email_in_production_fails():
    """A production site left on the console email backend does not pass the deploy check."""
    result = check_deploy(
        production_env(SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="awards.example.org")
    )

    assert result.returncode == 1
    assert "mail.E001" in result.stderr


def test_production_settings_without_secret_key_refuse_to_load():
    """DEBUG off and no SECRET_KEY: importing the settings fails, saying what to set."""
    result = run(["-c", "import dz_awards.settings"], production_env())

    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: "
        "Set SECRET_KEY (or DEBUG=1 for local development)."
    )


def test_production_settings_empty_secret_key_refuse_to_load():
    """An empty SECRET_KEY counts as missing."""
    result = run(["-c", "import dz_awards.settings"], production_env(SECRET_KEY=""))

    assert result.returncode == 1
    assert "ImproperlyConfigured: Set SECRET_KEY" in result.stderr


def test_check_deploy_warns_behind_proxy_without_trusted_proxies(settings):
    """Trusting a TLS proxy but no proxy network is flagged (throttling would see one client)."""
    from django.core.checks.registry import registry

    from dz_awards.core.checks import proxy_client_address

    assert proxy_client_address in registry.get_checks(include_deployment_checks=True)
    assert proxy_client_address not in registry.get_checks(include_deployment_checks=False)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    assert [m.id for m in proxy_client_address(None)] == ["dz_awards.W001"]
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert proxy_client_address(None) == []


def test_manage_py_unconfigured_checkout_runs_as_development():
    """With no SECRET_KEY and no DEBUG, manage.py works as a developer's tool: the migration
    check runs (and finds every model change migrated) instead of stopping at the key."""
    env = production_env()
    env.pop("DEBUG", None)
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], env)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_wsgi_without_secret_key_refuses_to_start():
    """The web server's entry point still fails fast without a key, whatever manage.py does."""
    env = production_env()
    env.pop("DEBUG", None)
    result = run(["-c", "import dz_awards.wsgi"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY" in result.stderr
