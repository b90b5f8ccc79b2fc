# Gachi — English messages. Must have every key of ko.ftl.
brand-name = Gachi
nav-skip = Skip to content
nav-label = Main menu
nav-home = Home
nav-login = Sign in
nav-signup = Sign up
nav-logout = Sign out
nav-users = Accounts
nav-audit = Audit log
nav-my-region = My region
nav-account = My account
footer-about = Gachi is a public program platform that helps small merchants open and keep selling on Naver Smart Store, Coupang, 11st and Gmarket/Auction.

role-merchant = Merchant
role-designer = Digital distribution designer
role-md = Merchandiser (MD)
role-operator = Program operator
role-localgov = Local government officer
role-admin = System administrator

form-has-errors = Please check what you entered.
field-email = Email
field-password = Password
field-password-confirm = Confirm password
field-display-name = Name
field-role = Role
field-region = Region
field-current-password = Current password
field-new-password = New password
field-initial-password = Initial password
hint-display-name = The name others see. Left empty, the part of your email before @ is used.
hint-password = At least 8 characters. Korean letters are fine.
hint-region = Local government officers must be given the province or city/county they cover.
hint-initial-password = At least 8 characters. Tell it to the person separately and ask them to change it after signing in.

error-required = This field is required.
error-email-invalid = This is not a valid email address, e.g. name@example.com
error-email-taken = This email is already registered. Sign in, or use another email.
error-password-short = The password must have at least 8 characters.
error-password-long = The password cannot be longer than 128 characters.
error-password-mismatch = The two passwords differ.
error-password-wrong = The current password is not correct.
error-too-long = Too long: keep it within 50 characters.
error-invalid-characters = Contains characters that cannot be used.
error-role-invalid = Unknown role.
error-role-not-allowed = You may not create accounts with this role.
error-region-invalid = A region code is 2 digits (province) or 5 digits (city/county/district).
error-region-unknown = There is no region with this code.
error-region-required = Local government officers need a region.
error-unauthorized = Sign-in required: check your API token.
error-forbidden-title = You cannot see this page
error-forbidden = You do not have permission for this page or action.
error-not-found-title = Page not found
error-not-found = The address has changed or the page does not exist.
error-csrf-title = Please try again
error-csrf = The security check is missing or has expired. Reload the page and try again.
error-internal-title = Something went wrong
error-internal = We could not complete the request. Please try again shortly, and tell the program office if it keeps happening.
error-bad-request = The request is malformed
error-throttled = Too many failed sign-ins: sign-in is paused. Try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
error-go-home = Go home

login-title = Sign in
login-submit = Sign in
login-failed = The email or password is not correct.
login-no-account = No account yet?

signup-title = Merchant sign-up
signup-lead = The first step to selling on the online marketplaces. Signing up is free and takes a minute.
signup-submit = Sign up
signup-staff-note = Accounts for designers, merchandisers and local government officers are created by the program office.
signup-have-account = Already have an account?

landing-title = Take your local shop online
landing-headline = Your shop, now selling online too
landing-lead = Gachi takes you all the way onto Naver Smart Store, Coupang, 11st and Gmarket/Auction. Experts help you, and you learn together with other shop owners.
landing-cta-signup = Start for free
landing-how = How it works
landing-step1 = Diagnosis
landing-step1-body = A short check of your products and online skills recommends the kind of help that fits you.
landing-step2 = Products
landing-step2-body = Build product information, photos and detail pages easily, and see what each marketplace would reject before you send.
landing-step3 = Marketplaces
landing-step3-body = List one product on several marketplaces, each in its own format, and follow every review in one place.
landing-step4 = Sell and grow
landing-step4-body = Designers, merchandisers and live commerce help you sell; results earn a place in the hall of fame.
landing-channels = Marketplaces
landing-not-a-mall = Gachi is not a shopping mall: it sets up your shop where the buyers already are.
channel-naver = Naver Smart Store
channel-coupang = Coupang
channel-11st = 11st
channel-esm = Gmarket/Auction

home-welcome = Hello, { $name }
home-signed-up = Welcome aboard! Take the steps below one at a time.
home-your-region = Your region: { $region }
home-next = What to do next
step-done = Done
step-coming = Coming soon
step-account = Create your account
step-account-body = Your name, email and password are set. Change them any time under My account.
step-shop = Register your shop
step-shop-body = Shop name, business registration number, address and industry.
step-diagnosis = Online selling check
step-diagnosis-body = Answer a few questions and we recommend selling by yourself, a managed seller, or training first.
step-products = Products and detail pages
step-products-body = From photos and a description we build marketplace-ready product data and a detail page.
step-channels = Open on the marketplaces
step-channels-body = List on Smart Store, Coupang, 11st and Gmarket/Auction and follow the reviews.
step-certificate = Course and exam
step-certificate-body = Take the digital distribution designer course and exam to be certified.
step-caseload = Your merchants
step-caseload-body = Manage the catalog and listings of the merchants who delegated to you.
step-pool = Browse the product pool
step-pool-body = Find vetted merchant products for promotions and discovery trips.
step-region = See your region
step-region-body = The cities, counties and districts of your region and their progress.
step-nominate = Nominate merchants
step-nominate-body = Nominate merchants of your region for a program round.
step-staff-accounts = Create accounts
step-staff-accounts-body = Create accounts for designers, merchandisers and local government officers.
step-audit = Read the audit log
step-audit-body = See who changed what, and when.
step-rounds = Run program rounds
step-rounds-body = Open rounds, select applicants, and follow results against targets.

region-code = Legal-dong code { $code }
region-children = { $count } cities, counties and districts
region-more-soon = Merchants and results of this region appear on this page once merchant registration opens.

account-password = Change password
account-password-submit = Change password
account-password-saved = Password changed. Sessions on other devices were signed out.
account-tokens = API tokens
account-no-tokens = You have no API tokens.
account-tokens-how = API tokens are created by the server administrator with `gachi token create --email EMAIL`. A token is shown only once, when it is created.

users-all-roles = All roles
users-filter = Show
users-created = Account { $email } created.
users-created-at = Created
users-new = New account
users-no-region = No region
users-create = Create account

audit-lead = The latest 300 changes. Times are Korea Standard Time.
audit-system = System
audit-at = When
audit-actor = Who
audit-action = What
audit-subject = On
audit-detail = Detail
