## Broar — svenska (standardspråk)

app-name = Broar
app-tagline = Rekryteringsringar för företag och nyanlända
app-description = Broar samlar små och medelstora företag i rekryteringsringar som tillsammans med kommunens arbetsmarknadsenhet rekryterar nyanlända.

nav-label = Huvudmeny
nav-home = Start
nav-accessibility = Tillgänglighet
nav-skip = Hoppa till innehållet
nav-menu = Meny

lang-switch-label = Språk
lang-switch-to = Byt språk till { $language }

footer-accessibility = Tillgänglighetsredogörelse

home-title = Välkommen till Broar
home-intro = Här lägger företagen i en rekryteringsring fram sina rekryteringsbehov, delar erfarenheter av att anställa nyanlända och får träffa kandidater som kommunens koordinatorer har kartlagt.
home-how-title = Så fungerar det
home-how-ring = Företag med rekryteringsbehov bildar en ring som träffas regelbundet.
home-how-needs = Varje företag beskriver sina behov: yrke, språkkrav, start och anställningsform.
home-how-match = Koordinatorerna matchar kartlagda kandidater mot behoven och ordnar ett personligt möte.
home-how-consent = Kandidater visas bara anonymiserade och bara med deras samtycke.
home-municipalities = Kommuner i samarbetet
home-no-municipality = Ingen kommun är inlagd ännu. Kör kommandot seed-demo eller lägg in kommunen som administratör.

a11y-title = Tillgänglighetsredogörelse
a11y-intro = { $municipality } står bakom Broar. Vi vill att så många som möjligt ska kunna använda tjänsten. Här beskriver vi hur Broar uppfyller lagen om tillgänglighet till digital offentlig service, kända brister och hur du kan rapportera problem.
a11y-status-title = Hur tillgänglig är tjänsten?
a11y-status = Vi bedömer att Broar är förenlig med WCAG 2.1 nivå AA. Sidorna fungerar med tangentbord och skärmläsare, har synligt fokus och går att förstora till 400 procent. De viktigaste formulären fungerar även utan JavaScript.
a11y-known-title = Kända brister
a11y-known = Diagram i rapporterna har en datatabell bredvid sig. Om du hittar något som inte fungerar vill vi gärna veta det.
a11y-how-title = Hur vi testat
a11y-how = Varje ändring testas automatiskt med axe-core i en riktig webbläsare, med tangentbord och utan JavaScript. Redogörelsen uppdaterades { $date }.
a11y-enforcement-title = Tillsyn
a11y-enforcement = Myndigheten för digital förvaltning (Digg) ansvarar för tillsynen över lagen. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Digg.

feedback-title = Rapportera brister i tillgängligheten
feedback-intro = Berätta vad som inte fungerade. Fält märkta med (obligatoriskt) måste fyllas i.
feedback-email = E-postadress (obligatoriskt)
feedback-email-hint = Vi svarar hit. Adressen används bara för ditt ärende.
feedback-page = Sida eller funktion
feedback-page-hint = Till exempel ”Behovstavlan” eller en webbadress.
feedback-message = Beskriv problemet (obligatoriskt)
feedback-message-hint = Vad försökte du göra, och vad hände? Högst 4 000 tecken.
feedback-submit = Skicka rapporten
feedback-sent = Tack! Vi har tagit emot din rapport med ärendenummer { $reference }.

form-error-summary = Formuläret innehåller fel
form-error-summary-intro = Rätta följande och skicka igen:
form-required = obligatoriskt
form-sending = Skickar …

field-required = Fyll i fältet.
field-too-long = Texten är för lång.
field-email-invalid = Ange en e-postadress i formatet namn@exempel.se.

error-title = Något gick fel
error-not-found = Sidan eller uppgiften finns inte.
error-forbidden = Du har inte behörighet till det här.
error-unauthenticated = Du behöver logga in.
error-validation = Kontrollera de markerade fälten.
error-consent-required = Det krävs ett aktivt samtycke från kandidaten.
error-bad-request = Förfrågan kunde inte läsas. Ladda om sidan och försök igen.
error-too-many = För många försök. Vänta en stund och försök igen.
error-unexpected = Ett oväntat fel uppstod. Försök igen om en stund. Uppge fel-id { $id } om du kontaktar oss.
error-unexpected-short = Ett oväntat fel uppstod. Försök igen om en stund.
error-transport = Det gick inte att nå servern. Kontrollera din anslutning och försök igen.

notfound-title = Sidan finns inte
notfound-text = Sidan du sökte finns inte, eller så har den flyttats.
notfound-home = Till startsidan

nav-login = Logga in
nav-logout = Logga ut
nav-audit = Granskningslogg
nav-accounts = Konton
nav-outbox = Utkorg

role-admin = administratör
role-coordinator = koordinator
role-employer = arbetsgivare

login-title = Logga in
login-email = E-postadress
login-password = Lösenord
login-submit = Logga in
login-forgot = Glömt lösenordet?
error-login-failed = Fel e-postadress eller lösenord, eller så är kontot avstängt.

forgot-title = Glömt lösenordet
forgot-intro = Ange e-postadressen du loggar in med. Om den har ett konto skickar vi en länk där du väljer ett nytt lösenord.
forgot-submit = Skicka länken
forgot-sent = Om adressen har ett konto har vi skickat en länk till den. Länken fungerar i 2 timmar och bara en gång.

reset-title = Välj ett nytt lösenord
reset-intro = Välj ett lösenord du inte använder någon annanstans. När du har sparat det loggas du ut överallt.
reset-password = Nytt lösenord
reset-password-hint = Minst 8 tecken. En mening med mellanslag är lätt att minnas och svår att gissa. Vanliga lösenord godtas inte.
reset-password-confirm = Upprepa lösenordet
reset-submit = Spara lösenordet
reset-done = Ditt lösenord är sparat. Logga in med det nya lösenordet.
error-reset-invalid = Länken fungerar inte längre: den har redan använts eller gått ut. Be om en ny länk.

field-password-short = Lösenordet måste ha minst 8 tecken.
field-password-long = Lösenordet får ha högst 128 tecken.
field-password-common = Lösenordet är för vanligt. Välj ett annat.
field-password-mismatch = Lösenorden är inte lika.
field-email-taken = Det finns redan ett konto med den e-postadressen.

accounts-title = Konton
accounts-caption = Alla konton
accounts-create = Skapa ett konto
accounts-create-intro = Personen får ett e-postmeddelande med en länk där hon eller han väljer ett lösenord.
accounts-create-submit = Skapa kontot
accounts-created = Kontot är skapat och e-postmeddelandet är på väg.
account-name = Namn
account-role = Roll
account-status = Status
account-role-of = Roll för { $name }
account-role-save = Spara
account-active = Aktivt
account-disabled = Avstängt
account-disable = Stäng av { $name }
account-enable = Aktivera { $name }
error-self-disable = Du kan inte stänga av ditt eget konto.
error-self-demote = Du kan inte ta bort din egen administratörsroll.

outbox-title = E-post som inte kunde levereras
outbox-intro = Meddelanden som har försökts skickas många gånger utan att lyckas. Kontrollera adressen och e-postinställningarna.
outbox-none = Alla e-postmeddelanden har levererats.
outbox-queued = Köat
outbox-to = Till
outbox-subject = Ämne
outbox-attempts = Försök
outbox-error = Senaste fel

audit-title = Granskningslogg
audit-caption = Händelser, senaste först
audit-search = Sök
audit-search-hint = Namn, e-post, händelse (till exempel login.failure) eller objekt.
audit-search-submit = Sök
audit-none = Inga händelser hittades.
audit-at = Tid
audit-actor = Vem
audit-action = Händelse
audit-object = Objekt
audit-outcome = Utfall
audit-detail = Detaljer

mail-footer = Du får det här meddelandet från Broar, kommunens portal för rekryteringsringar.
mail-greeting = Hej { $name }!
mail-reset-subject = Välj ett nytt lösenord för Broar
mail-reset-body = Någon, förhoppningsvis du, har bett om ett nytt lösenord till ditt konto. Använd länken nedan inom { $hours } timmar. Den fungerar bara en gång.
mail-reset-ignore = Om det inte var du kan du strunta i meddelandet; ditt lösenord är oförändrat.
mail-reset-button = Välj nytt lösenord
mail-welcome-subject = Ditt konto i Broar
mail-welcome-body = Du har fått ett konto i Broar som { $role }.
mail-welcome-link = Välj ditt lösenord med länken nedan inom { $hours } timmar.
mail-welcome-button = Välj lösenord

error-csrf = Formuläret kom inte från Broar eller har blivit för gammalt. Ladda om sidan och försök igen.
