## Broar — English (on request)

app-name = Broar
app-tagline = Recruitment rings for firms and newly arrived people
app-description = Broar brings small and medium-sized firms together in recruitment rings that recruit newly arrived immigrants with the municipality's labour-market unit.

nav-label = Main menu
nav-home = Home
nav-accessibility = Accessibility
nav-skip = Skip to content
nav-menu = Menu

lang-switch-label = Language
lang-switch-to = Change language to { $language }

footer-accessibility = Accessibility statement

home-title = Welcome to Broar
home-intro = Here the firms of a recruitment ring put their recruitment needs on the table, share their experience of hiring newly arrived people, and meet candidates mapped by the municipality's coordinators.
home-how-title = How it works
home-how-ring = Firms with recruitment needs form a ring that meets regularly.
home-how-needs = Each firm describes its needs: occupation, language requirement, start and form of employment.
home-how-match = Coordinators match mapped candidates to the needs and arrange a personal meeting.
home-how-consent = Candidates are shown only anonymised and only with their consent.
home-municipalities = Municipalities in the partnership
home-no-municipality = No municipality has been added yet. Run the seed-demo command or add the municipality as an administrator.

a11y-title = Accessibility statement
a11y-intro = { $municipality } is responsible for Broar. We want as many people as possible to be able to use it. This page describes how Broar complies with the Swedish act on accessibility to digital public services, known issues, and how to report a problem.
a11y-status-title = How accessible is this service?
a11y-status = We consider Broar to comply with WCAG 2.1 level AA. Pages work with a keyboard and a screen reader, have a visible focus and can be zoomed to 400 per cent. The core forms also work without JavaScript.
a11y-known-title = Known issues
a11y-known = Charts in the reports have a data table beside them. If you find something that does not work, please tell us.
a11y-how-title = How we tested
a11y-how = Every change is tested automatically with axe-core in a real browser, by keyboard and without JavaScript. This statement was updated on { $date }.
a11y-enforcement-title = Enforcement
a11y-enforcement = The Agency for Digital Government (Digg) supervises the act. If you are not satisfied with how we handle your report, you can contact Digg.

feedback-title = Report an accessibility problem
feedback-intro = Tell us what did not work. Fields marked (required) must be filled in.
feedback-email = E-mail address (required)
feedback-email-hint = We reply here. The address is used only for your report.
feedback-page = Page or feature
feedback-page-hint = For example "Needs board" or a web address.
feedback-message = Describe the problem (required)
feedback-message-hint = What were you trying to do, and what happened? At most 4,000 characters.
feedback-submit = Send the report
feedback-sent = Thank you! We have received your report with reference { $reference }.

form-error-summary = There is a problem with the form
form-error-summary-intro = Correct the following and send again:
form-required = required
form-sending = Sending …

field-required = Fill in this field.
field-too-long = The text is too long.
field-email-invalid = Enter an e-mail address like name@example.com.

error-title = Something went wrong
error-not-found = The page or item does not exist.
error-forbidden = You are not allowed to do this.
error-unauthenticated = You need to log in.
error-validation = Check the marked fields.
error-consent-required = An active consent from the candidate is required.
error-bad-request = The request could not be read. Reload the page and try again.
error-too-many = Too many attempts. Wait a while and try again.
error-unexpected = An unexpected error occurred. Try again in a while. Quote error id { $id } if you contact us.
error-unexpected-short = An unexpected error occurred. Try again in a while.
error-transport = The server could not be reached. Check your connection and try again.

notfound-title = Page not found
notfound-text = The page you were looking for does not exist, or it has moved.
notfound-home = Go to the home page

nav-login = Log in
nav-logout = Log out
nav-audit = Audit log
nav-accounts = Accounts
nav-outbox = Outbox

role-admin = administrator
role-coordinator = coordinator
role-employer = employer

login-title = Log in
login-email = E-mail address
login-password = Password
login-submit = Log in
login-forgot = Forgot your password?
error-login-failed = Wrong e-mail address or password, or the account is disabled.

forgot-title = Forgot your password
forgot-intro = Enter the e-mail address you log in with. If it has an account, we send a link where you choose a new password.
forgot-submit = Send the link
forgot-sent = If the address has an account, we have sent a link to it. The link works for 2 hours and only once.

reset-title = Choose a new password
reset-intro = Choose a password you do not use anywhere else. When you save it, you are logged out everywhere.
reset-password = New password
reset-password-hint = At least 8 characters. A sentence with spaces is easy to remember and hard to guess. Common passwords are not accepted.
reset-password-confirm = Repeat the password
reset-submit = Save the password
reset-done = Your password is saved. Log in with the new password.
error-reset-invalid = The link no longer works: it has been used or has expired. Ask for a new link.

field-password-short = The password must have at least 8 characters.
field-password-long = The password may have at most 128 characters.
field-password-common = The password is too common. Choose another.
field-password-mismatch = The passwords do not match.
field-email-taken = There is already an account with that e-mail address.

accounts-title = Accounts
accounts-caption = All accounts
accounts-create = Create an account
accounts-create-intro = The person gets an e-mail with a link to choose a password.
accounts-create-submit = Create the account
accounts-created = The account is created and the e-mail is on its way.
account-name = Name
account-role = Role
account-status = Status
account-role-of = Role of { $name }
account-role-save = Save
account-active = Active
account-disabled = Disabled
account-disable = Disable { $name }
account-enable = Enable { $name }
error-self-disable = You cannot disable your own account.
error-self-demote = You cannot remove your own administrator role.

outbox-title = E-mail that could not be delivered
outbox-intro = Messages that were tried many times without success. Check the address and the mail settings.
outbox-none = Every e-mail has been delivered.
outbox-queued = Queued
outbox-to = To
outbox-subject = Subject
outbox-attempts = Attempts
outbox-error = Last error

audit-title = Audit log
audit-caption = Events, newest first
audit-search = Search
audit-search-hint = Name, e-mail, event (for example login.failure) or object.
audit-search-submit = Search
audit-none = No events found.
audit-at = Time
audit-actor = Who
audit-action = Event
audit-object = Object
audit-outcome = Outcome
audit-detail = Detail

mail-footer = You receive this message from Broar, the municipality's portal for recruitment rings.
mail-greeting = Hello { $name }!
mail-reset-subject = Choose a new password for Broar
mail-reset-body = Someone, hopefully you, asked for a new password for your account. Use the link below within { $hours } hours. It works only once.
mail-reset-ignore = If it was not you, you can ignore this message; your password is unchanged.
mail-reset-button = Choose a new password
mail-welcome-subject = Your Broar account
mail-welcome-body = You now have an account in Broar as a { $role }.
mail-welcome-link = Choose your password with the link below within { $hours } hours.
mail-welcome-button = Choose a password

error-csrf = The form did not come from Broar or has grown too old. Reload the page and try again.
