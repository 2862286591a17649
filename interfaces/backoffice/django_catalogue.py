"""Django's own strings that its Thai catalogue lacks or half-translates, and an officer can see.

The back office is Django admin. The Thai for these is in locale/th/LC_MESSAGES/django.po (the project's
catalogue, which Django prefers to its own); listing them here keeps ``makemessages --no-obsolete`` from
dropping them as unused. Nothing imports this module. The admin's JavaScript strings are in djangojs.po,
kept by hand (the project has no JavaScript strings to extract). interfaces/backoffice/tests/
test_catalogue.py fails when one of Django's admin strings has no Thai.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = [
    # Django admin
    gettext_noop('Empty'),
    gettext_noop('Not empty'),
    gettext_noop('Added “%(object)s”.'),
    gettext_noop('Changed “%(object)s” — %(changes)s'),
    gettext_noop('Deleted “%(object)s.”'),
    gettext_noop('Added {name} “{object}”.'),
    gettext_noop('Changed {fields} for {name} “{object}”.'),
    gettext_noop('Deleted {name} “{object}”.'),
    gettext_noop('Hold down “Control”, or “Command” on a Mac, to select more than one.'),
    gettext_noop('Select this object for an action - {}'),
    gettext_noop('The {name} “{obj}” was added successfully.'),
    gettext_noop('The {name} “{obj}” was added successfully. You may add another {name} below.'),
    gettext_noop('The {name} “{obj}” was changed successfully. You may edit it again below.'),
    gettext_noop('The {name} “{obj}” was changed successfully. You may add another {name} below.'),
    gettext_noop('The {name} “{obj}” was changed successfully.'),
    gettext_noop('The %(name)s “%(obj)s” was deleted successfully.'),
    gettext_noop('%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?'),
    gettext_noop('We’re sorry, but the requested page could not be found.'),
    gettext_noop('There’s been an error. It’s been reported to the site administrators via email and should be fixed shortly. Thanks for your patience.'),  # noqa: E501
    gettext_noop('Breadcrumbs'),
    gettext_noop('Model name'),
    gettext_noop('Add link'),
    gettext_noop('Change or view list link'),
    gettext_noop('You don’t have permission to view or edit anything.'),
    gettext_noop('After you’ve created a user, you’ll be able to edit more user options.'),
    gettext_noop('Error:'),
    gettext_noop('Set password'),
    gettext_noop('This action will <strong>enable</strong> password-based authentication for this user.'),
    gettext_noop('Disable password-based authentication'),
    gettext_noop('Enable password-based authentication'),
    gettext_noop('Skip to main content'),
    gettext_noop('Hide counts'),
    gettext_noop('Show counts'),
    gettext_noop('Clear all filters'),
    gettext_noop('Toggle theme (current theme: auto)'),
    gettext_noop('Toggle theme (current theme: light)'),
    gettext_noop('Toggle theme (current theme: dark)'),
    gettext_noop('Yes, I’m sure'),
    gettext_noop('Added:'),
    gettext_noop('Changed:'),
    gettext_noop('Deleted:'),
    gettext_noop('Something’s wrong with your database installation. Make sure the appropriate database tables have been created, and make sure the database is readable by the appropriate user.'),  # noqa: E501
    gettext_noop('Forgotten your login credentials?'),
    gettext_noop('Toggle navigation'),
    gettext_noop('Sidebar'),
    gettext_noop('Start typing to filter…'),
    gettext_noop('Filter navigation items'),
    ngettext_lazy('entry', 'entries'),
    gettext_noop('This object doesn’t have a change history. It probably wasn’t added via this admin site.'),
    gettext_noop('View selected %(model)s'),
    gettext_noop('Thanks for spending some quality time with the web site today.'),
    gettext_noop('Please enter your old password, for security’s sake, and then enter your new password twice so we can verify you typed it in correctly.'),  # noqa: E501
    gettext_noop('We’ve emailed you instructions for setting your password, if an account exists with the email you entered. You should receive them shortly.'),  # noqa: E501
    gettext_noop('If you don’t receive an email, please make sure you’ve entered the address you registered with, and check your spam folder.'),  # noqa: E501
    gettext_noop('In case you’ve forgotten, you are:'),
    gettext_noop('Forgotten your password? Enter your email address below, and we’ll email instructions for setting a new one.'),  # noqa: E501
    gettext_noop('Select all objects on this page for an action'),
    ngettext_lazy('Please correct the error below.', 'Please correct the errors below.'),
    gettext_noop('Remove from sorting'),
    gettext_noop('Sorting priority: %(priority_number)s'),
    gettext_noop('Toggle sorting'),
    gettext_noop('content type'),
    gettext_noop('object repr'),
    gettext_noop('action flag'),
    gettext_noop('log entry'),
    gettext_noop('log entries'),
    gettext_noop('LogEntry Object'),
    # Django forms and models
    gettext_noop('That page contains no results'),
    gettext_noop('Enter a valid integer.'),
    gettext_noop('Ensure this value is a multiple of step size %(limit_value)s.'),
    ngettext_lazy('Ensure this value has at least %(limit_value)d character (it has %(show_value)d).', 'Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).'),  # noqa: E501
    ngettext_lazy('Ensure this value has at most %(limit_value)d character (it has %(show_value)d).', 'Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).'),  # noqa: E501
    ngettext_lazy('Ensure that there are no more than %(max)s digit in total.', 'Ensure that there are no more than %(max)s digits in total.'),  # noqa: E501
    ngettext_lazy('Ensure that there are no more than %(max)s decimal place.', 'Ensure that there are no more than %(max)s decimal places.'),  # noqa: E501
    ngettext_lazy('Ensure that there are no more than %(max)s digit before the decimal point.', 'Ensure that there are no more than %(max)s digits before the decimal point.'),  # noqa: E501
    gettext_noop('Null characters are not allowed.'),
    gettext_noop('%(model_name)s with this %(field_labels)s already exists.'),
    gettext_noop('Constraint “%(name)s” is violated.'),
    gettext_noop('Value %(value)r is not a valid choice.'),
    gettext_noop('“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.'),
    gettext_noop('“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.'),
    gettext_noop('“%(value)s” value must be a decimal number.'),
    gettext_noop('“%(value)s” value must be an integer.'),
    gettext_noop('Value must be valid JSON.'),
    gettext_noop('Enter a complete value.'),
    gettext_noop('Enter a valid JSON.'),
    gettext_noop('(Hidden field %(name)s) %(error)s'),
    gettext_noop('ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to file a bug report if the issue persists.'),  # noqa: E501
    ngettext_lazy('Please submit at most %(num)d form.', 'Please submit at most %(num)d forms.'),
    ngettext_lazy('Please submit at least %(num)d form.', 'Please submit at least %(num)d forms.'),
    gettext_noop('The inline value did not match the parent instance.'),
    gettext_noop('“%(pk)s” is not a valid value.'),
    gettext_noop('%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not exist.'),  # noqa: E501
    gettext_noop('CSRF verification failed. Request aborted.'),
    gettext_noop('You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties.'),  # noqa: E501
    gettext_noop('If you have configured your browser to disable cookies, please re-enable them, at least for this site, or for “same-origin” requests.'),  # noqa: E501
    gettext_noop('You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your web browser, but none was sent. This header is required for security reasons, to ensure that your browser is not being hijacked by third parties.'),  # noqa: E501
    gettext_noop('If you have configured your browser to disable “Referer” headers, please re-enable them, at least for this site, or for HTTPS connections, or for “same-origin” requests.'),  # noqa: E501
    gettext_noop('More information is available with DEBUG=True.'),
    # Django passwords
    gettext_noop('The two password fields didn’t match.'),
    gettext_noop('Enter the same password as before, for verification.'),
    ngettext_lazy('This password is too short. It must contain at least %d character.', 'This password is too short. It must contain at least %d characters.'),  # noqa: E501
    ngettext_lazy('Your password must contain at least %(min_length)d character.', 'Your password must contain at least %(min_length)d characters.'),  # noqa: E501
    gettext_noop('The password is too similar to the %(verbose_name)s.'),
    gettext_noop('Your password can’t be too similar to your other personal information.'),
    gettext_noop('This password is too common.'),
    gettext_noop('Your password can’t be a commonly used password.'),
    gettext_noop('This password is entirely numeric.'),
    gettext_noop('Your password can’t be entirely numeric.'),
]
