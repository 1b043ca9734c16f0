# records: en
# Notes, reports and entities, the pages of the record layer's kinds
# (points of contact), versions, meetings and their commitments, the
# digest, sanctions screening, and the node's administration and peers.
# Every message here is also in fr and ar (a test checks it).

## Words several of these pages share
records-marking = Marking
records-member = Member
records-versions = Versions
records-version = version { $version }
records-version-changed = version { $version }, last changed by { $user } on
records-withdrawn = withdrawn
records-optional = (optional)
records-save-new-version = Save a new version
# Between a name and what is said of it ("GBR: …").
records-colon = :

## Where a record comes from (_source.html)
source-label = Source
source-illustrative = Illustrative
source-source = Source:
source-outside = Outside the documents:

## Errors of a form (_form_errors.html)
form-errors-count = { $count ->
    [one] { $count } thing to correct
   *[other] { $count } things to correct
}
form-errors-kept = (what you typed is kept):

## Parties of a contribution (_parties.html)
parties-legend = Parties (optional): who supplies, carries, receives or pays. They are screened against the sanctions lists.
parties-role = Role
parties-kind = Kind
parties-name = Name
parties-country = Country (ISO alpha-3)
parties-role-supplier = Supplier
parties-role-carrier = Carrier
parties-role-consignee = Consignee
parties-role-implementing_partner = Implementing partner
parties-role-financial_institution = Financial institution
parties-role-other = Other
parties-kind-organisation = Organisation
parties-kind-person = Person
parties-kind-vessel = Vessel

## Notes
notes-title = Notes
notes-count = { $count ->
    [one] { $count } note releasable
   *[other] { $count } notes releasable
} to { $member }.
notes-share = Share a note
notes-older = Older notes
note-shared-by = Shared by
note-shared-on = ({ $user }) on
note-group = group
note-edit = Edit
note-form-new = Share a note
note-form-edit = Edit note
note-form-share = Share
note-form-title = Title
note-form-text = Text
note-form-group = Group (optional)

## Versions of a note or a record
versions-page-title = Versions
versions-of = Versions of
versions-col-version = Version
versions-col-title = Title
versions-col-changed = Changed
versions-withdrawn = (withdrawn)
versions-origin-only = origin only
versions-changed-by = { $date } by { $user }
versions-hidden = Versions whose marking did not include { $member } are not shown.

## Pages of the record layer's kinds (record_list, record, record_form)
record-list-count = { $count } releasable to { $member }.
record-list-none = None that { $member } may read.
record-list-older = Older
record-recorded-by = , recorded by { $user } on
record-change = Change
record-submit = Record
# Points of contact (/contacts): its pages and fields.
record-contacts-list = Points of contact
record-contacts-new = Record a point of contact
record-contacts-change = Change a point of contact
record-contacts-versions = Versions of a point of contact
record-contacts-of = A point of contact of
record-contacts-withdraw = Withdraw this point of contact
record-contacts-field-name = Name
record-contacts-field-role = Role
record-contacts-field-email = Email
record-contacts-field-phone = Phone

## Reports
reports-title = Reports
reports-file = File a report
reports-search = Search
reports-count = { $count ->
    [one] { $count } report you may read.
   *[other] { $count } reports you may read.
}
reports-kind = Kind
reports-filter = Filter
reports-col-report = Report
reports-col-from = From
reports-col-occurred = Occurred
reports-none = No reports you may read.
reports-next-page = Next page
reports-stix-taxii = STIX and TAXII
reports-download = Download what you may read as a
reports-stix-bundle = STIX 2.1 bundle
reports-or = , or
reports-import-one = import one
reports-taxii-at = . TAXII 2.1 clients find this node at
reports-api-root = (API root
reports-collection = , collection
reports-taxii-auth =
    , "Coalition"), with HTTP Basic:
    your username and password, or an API token as the password. It serves exactly
    what your member may read.

## A report
report-from = { $kind } from
report-occurred = occurred { $date }
report-details = Details
report-route = Route
report-leg-origin = origin
report-leg-transit = transit
report-leg-destination = destination
report-documents = Documents
report-commodity = Commodity
report-commodity-crude-oil = crude oil
report-commodity-refined-products = refined products
report-commodity-cash = cash
report-commodity-antiquities = antiquities
report-commodity-other = other
report-quantity = Quantity
report-payments = Payments
report-payment-on = on { $date }
report-narratives = Narratives
report-channels = Channels
report-about = About
report-born = born { $date }
report-no-entity = No entity you may read.
report-versions-title = Versions of a report
report-versions-col-entities = Entities you may read

## Filing a report
report-form-title = File a report
report-form-title-field = Title
report-form-text = Text
report-form-occurred-on = Occurred on (YYYY-MM-DD, optional)
report-form-existing-entity = An existing entity ({ $id }).
report-form-entity-kind = Kind of entity
report-form-entity-name = Name (leave empty for none)
report-form-entity-aliases = Other names and spellings, one a line (Arabic script welcome)
report-form-entity-birth-date = Date of birth (YYYY, YYYY-MM or YYYY-MM-DD)
report-form-entity-nationality = Nationality (ISO 3166-1 alpha-3)
report-form-entity-documents = Document numbers, one a line
report-form-entity-imo = IMO number (vessels)
report-form-role = Role in the report (e.g. traveller, buyer, vessel)
report-form-details = Details (fill in what belongs to the kind of report)
report-form-route = Travel and financing: the route.
report-form-route-origin = Origin country (ISO 3166-1 alpha-3)
report-form-route-departed = Departed on (YYYY-MM-DD)
report-form-route-transit = Transit countries, in order (e.g. TUR, SYR)
report-form-route-destination = Destination country
report-form-route-arrived = Arrived on (YYYY-MM-DD)
report-form-documents = Travel: documents used, one a line
report-form-commodity = Financing: commodity
report-form-quantity = Financing: quantity (whole number)
report-form-quantity-unit = Unit (barrel, tonne, litre, truckload)
report-form-payment = Financing: a payment (amount, e.g. 300000.00)
report-form-payment-currency = Currency (ISO 4217)
report-form-payment-date = Paid on (YYYY-MM-DD)
report-form-narratives = Counter-messaging: narratives, one a line
report-form-channels = Counter-messaging: channels, one a line
report-form-submit = File the report

## An entity
entity-version = Version { $version }
entity-aliases = Also known as
entity-born = Born
entity-nationality = Nationality
entity-flag = Flag
entity-recorded-by = Recorded by
entity-reports-about = { $kind ->
    [person] Reports about this person
   *[other] Reports about it
}
entity-report-from = { $kind } from { $member }
entity-none = None you may read.
entity-file-report = File a report about it
entity-likely-same-as = Likely the same as
entity-likely-explain = Entities other members reported that you may read, scored by the sanctions matcher (names, spellings and transliterations; date of birth, nationality and documents as evidence).
entity-col-entity = Entity
entity-likely-same = likely the same
entity-none-found = None found among what you may read.
entity-relationships = Relationships
# How this entity is related to another ("owns <the other>") …
entity-rel-travelled-with = travelled-with
entity-rel-financed = financed
entity-rel-owns = owns
entity-rel-operates = operates
entity-rel-sighted-at = sighted-at
# … and how another is related to it ("<the other> owns this").
entity-rel-in-travelled-with = travelled-with this
entity-rel-in-financed = financed this
entity-rel-in-owns = owns this
entity-rel-in-operates = operates this
entity-rel-in-sighted-at = sighted-at this
# "a entity" as the page has always said it.
entity-versions-title = Versions of an entity
entity-edit = Change its particulars
entity-edit-title = Change an entity
entity-edit-kind = It stays a { $kind }: an entity's kind does not change.
entity-edit-one-per-line = One per line.
entity-edit-retain-hint = The day until which the personal data is kept; empty: the node's default period.
entity-edit-birth-hint = YYYY, YYYY-MM or YYYY-MM-DD.
entity-edit-country-hint = The country's three-letter code (ISO 3166-1 alpha-3, for example IRQ).
entity-edit-links-kept = The reports that name it, its relationships and its screening decisions stay as they are.
entity-edit-cancel = Back to the entity without saving
entity-conflict-heading = Someone saved this entity while you were editing it
entity-field-name = Name
entity-field-retain_until = Personal data kept until

## Meetings
meetings-title = Meetings
meetings-intro = The coalition's meetings you may read, latest first, each in its own time zone.
meetings-board = Commitments board
meetings-digest = Your digest and calendar feed
meetings-col-when = When (local)
meetings-col-meeting = Meeting
meetings-kind = Kind
meetings-col-where = Where
meetings-group = Group
meetings-col-attending = Attending
meetings-whole-coalition = whole coalition
meetings-none = No meeting you may read.
meetings-record = Record a meeting
meetings-title-field = Title
meetings-place = Place
meetings-starts = Starts (local time)
meetings-ends = Ends (local time)
meetings-time-zone = Time zone
meetings-host = Host (member code)
meetings-chair = Chair (default: the host)
meetings-attendees = Attending (member codes)
meetings-level = Level
meetings-agenda = Agenda (one item per line)
meetings-submit = Record the meeting
meeting-type-summit = summit
meeting-type-ministerial = ministerial
meeting-type-plenary = plenary
meeting-type-small_group = small group
meeting-type-working_group = working group
meeting-type-task_force = task force
meeting-level-head_of_state = head of state or government
meeting-level-minister = minister
meeting-level-official = official

## A meeting
meeting-until = to { $ends } ({ $tz }).
meeting-hosted = Hosted by { $host }, chaired by { $chair };
meeting-of-group = a meeting of
meeting-of-coalition = a meeting of the whole coalition
meeting-add-to-calendar = Add to calendar (.ics)
meeting-agenda-heading = Agenda, decisions and action items
meeting-follows-up = follows up an earlier meeting
meeting-outcome-decision = Decision
meeting-outcome-information = Information
meeting-adopted-by = (adopted by { $members })
meeting-no-agenda = No agenda yet.
meeting-statement = Joint statement, { $date }
meeting-signed-by = Signed by { $members }.
meeting-attendance = Attendance ({ $count })
meeting-delegation = Delegation
meeting-no-attendance = No attendance recorded.
meeting-record-outcome = Record an outcome
meeting-agenda-item = Agenda item
meeting-new-item = a new item (title below)
meeting-new-item-title = New item's title
meeting-outcome = Outcome
meeting-text = Text
meeting-adopted-by-field = Adopted by (member codes)
meeting-record = Record
meeting-record-action = Record an action item
meeting-no-item = none
meeting-owner = Owner (member code)
meeting-what = What
meeting-line = Line of effort
meeting-fulfilled-by = Fulfilled by (one per line:
meeting-record-action-submit = Record the action item
meeting-follow-up = Follow-up
meeting-carry-over = Carry over the open items of the group's previous meeting

## Commitments
commitments-title = Commitments
commitments-count = { $count ->
    [one] { $count } commitment you may read,
   *[other] { $count } commitments you may read,
} { $overdue } overdue as of
commitments-explain = . A commitment is overdue when its due day is over in its meeting's time zone and it is neither done, dropped nor fulfilled; progress is computed from the contributions, fund pledges and indicator targets it links to.
commitments-group-by = Group by:
commitments-by-member = member
commitments-by-line = line of effort
commitments-partial-heading = Partial progress:
commitments-partial-explain = some parts of some commitments are not releasable to you; their progress is over the parts you may read.
commitments-no-line = (no line of effort)
commitments-group-overdue = { $count } overdue
commitments-col-status = Status
commitments-col-owner = Owner
commitments-col-commitment = Commitment
commitments-col-due = Due
commitments-col-made-at = Made at
commitments-overdue-flag = Overdue
commitments-partial = (partial)
commitments-and-later = and { $count } later
commitments-none = No commitment you may read.
commitment-state-open = open
commitment-state-on_track = on track
commitment-state-at_risk = at risk
commitment-state-done = done
commitment-state-dropped = dropped
commitment-due-state = due { $due }, { $state }
commitment-progress = Progress
commitment-partial-title = Some parts are not releasable to you
commitment-record-link = details
commitment-part-hidden = a part not releasable to you
commitment-weight = (weight { $weight })
commitment-discussed-at = Discussed at:

## Digest
digest-title = Your digest
digest-feed-shown = Your calendar feed (shown once; keep it secret, it reads as you):
digest-notices = Notices
digest-unread = ({ $count } unread)
digest-notice-due_in_7_days = Due in 7 days
digest-notice-due_tomorrow = Due tomorrow
digest-notice-overdue = Overdue
digest-due-progress = due { $due }, progress { $progress }
digest-mark-read = Mark all read
digest-no-notice = No notice for you.
digest-open-commitments = Open commitments of { $member }
digest-due-state-progress = due { $due }, { $state }, progress { $progress }
digest-no-open = No open commitment of { $member } you may read.
digest-calendar-feed = Calendar feed
digest-calendar-explain = Subscribe to the meetings and due dates you may read from any calendar program (iCalendar). The address holds a secret token; revoking it stops every address made before.
digest-make-address = Make a calendar address
digest-revoke = Revoke my calendar addresses

## Screening of a record's parties, and the review of a hit (_screening.html)
screening-title = Sanctions screening
screening-review = Review { $id }
screening-confirmed = Confirmed
screening-false-positive = False positive
screening-reason = Reason
screening-record-decision = Record decision
screening-stale = stale: the list entry changed since; review again
screening-suppressed = (suppressed: not alerted again)
screening-for-born = for born { $date }
screening-weak-alias = weak alias — review
screening-weak-alias-cell = Weak alias — review
screening-alert = Alert: review
screening-below-threshold = below threshold
screening-nothing = Nothing here to screen: no person, organisation or vessel you may read.
screening-explain = The parties screened against { $lists }. A score of { $threshold } or more is a match: a lead for review, not a finding; the explanation says why.
screening-party = Party
screening-listed-entry = Listed entry
screening-score = Score
screening-decision = Decision
screening-why = Why
screening-also-listed = also listed as
screening-match = match
screening-no-match = No match
screening-near = { $count ->
    [one] ({ $count } listed entry scored below the threshold)
   *[other] ({ $count } listed entries scored below the threshold)
}
screening-no-lists = No sanctions lists are loaded on this node; start it with --sanctions PATH to screen.
screening-failed = Screening failed: { $detail }

## The screening page
screen-no-lists = No sanctions lists are loaded on this node; start it with
screen-no-lists-end = to screen.
screen-lead = A score is a lead for review, not a finding; the explanation says why.
screen-lists = Lists
screen-col-list = List
screen-col-published = Published
screen-col-entries = Entries
screen-col-loaded = Loaded
screen-col-since = Since the version before
screen-in-use = in use
screen-undated = undated
screen-changes = { $added } added, { $removed } removed, { $changed } changed
screen-since = since { $version }
screen-first-version = first version loaded
screen-rescreen-running = Rescreening the parties of open records after a list update: { $done } % done.
screen-rescreen-reload = Reload
screen-rescreen-done = The parties of open records were rescreened after the last list update ({ $when }); the list's changes show what was found.
screen-rescreen-stopped = The rescreening after the last list update was stopped with the node; it runs again at the next start.
screen-rescreen-failed = The rescreening after the last list update failed: { $why }
screen-party = Screen a party
screen-birth-date = Date of birth (optional)
screen-birth-date-hint = YYYY, YYYY-MM or YYYY-MM-DD
screen-nationality = Nationality (optional)
screen-schema = Kind of party
screen-schema-any = Any
screen-submit = Screen
screen-results-for = Results for
screen-alerts-of-results = { $alerts ->
    [one] { $alerts } alert
   *[other] { $alerts } alerts
} of { $count ->
    [one] { $count } result
   *[other] { $count } results
}.
screen-no-result = No listed entry scored near this party.
screen-batch = Screen a batch (CSV)
screen-csv-header = A header row with
screen-csv-optionally = and optionally
screen-csv-at-most = ; at most { $max } rows (UTF-8). For more, use the API or
screen-upload = Upload a CSV file
screen-paste = … or paste the parties as CSV
screen-batch-submit = Screen batch
screen-download = Download results (CSV)
screen-batch-results = Batch results
screen-batch-summary = { $rows ->
    [one] { $rows } party screened
   *[other] { $rows } parties screened
}: { $hits ->
    [one] { $hits } hit
   *[other] { $hits } hits
}, { $alerts ->
    [one] { $alerts } alert
   *[other] { $alerts } alerts
}
screen-batch-truncated = (the first { $count } hits are shown)
screen-col-row-id = Row id
screen-decisions-of = Decisions of { $member }
screen-decisions-own = Only { $member }'s own review decisions are shown; other members' are not visible here.
screen-col-by = By
screen-col-when = When
screen-col-entry-since = Entry since
screen-entry-unchanged = unchanged
screen-entry-changed = changed: decision stale
screen-entry-not_loaded = not in loaded lists
screen-older-decisions = Older decisions
screen-no-decisions = No decisions recorded by { $member } yet.
screen-recorded = Recorded: { $id } is { $decision ->
    [confirmed] confirmed
   *[other] a false positive
} for { $party }.

## What changed in a version of a list
screen-list-title = { $list } { $published }: changes
screen-list-heading = { $list } { $published }: what changed
screen-list-compared = Compared with { $list } { $previous }, the version loaded before it. Decisions taken on an entry that changed no longer apply: its hits alert again.
screen-list-back = Back to screening
screen-list-rescreened = Open records rescreened
screen-list-rescreen-explain = The parties of open records (live entities, contributions not cancelled) were screened against the { $count } entries this version added or changed, at { $at }.
screen-list-matches = Matches on records you can read:
screen-list-no-match = No match on a record you can read.
screen-list-col-record = Record
screen-list-kind-entity = entity
screen-list-kind-contribution = contribution
screen-list-changed-since = (changed since: version { $version } was screened)
screen-list-added = added
screen-list-changed = changed
screen-list-not-rescreened = Not rescreened yet: the node rescreens open records in the background after loading a new version.
screen-list-added-count = Added ({ $count })
screen-list-removed-count = Removed ({ $count })
screen-list-changed-count = Changed ({ $count })
screen-list-col-reference = Reference

## Administration: users
admin-title = Administration
admin-users-title = Administration: users
admin-only = Only the node's administrators use its console.
admin-users = Users
admin-audit-log = Audit log
admin-node-peers = Node and peers
admin-users-count = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
admin-locked-out-count = { $count } locked out
admin-locked-explain = for now (too many wrong passwords: each try waits longer)
admin-adding-users = The same from the command line:
admin-col-user = User
admin-col-role = Role
admin-col-status = Status
admin-col-failed-logins = Failed logins
admin-col-act = Act
admin-role-viewer = viewer
admin-role-contributor = contributor
admin-role-coordinator = coordinator
admin-role-admin = admin
admin-disabled = disabled
admin-locked-out = locked out
admin-for-seconds = for { $seconds } s
admin-active = active
admin-failures = { $count }, the last at
admin-no-failures = none
admin-unlock = Unlock
admin-unlock-user = Unlock { $user }
admin-enable = Enable
admin-enable-user = Enable { $user }
admin-disable = Disable
admin-disable-user = Disable { $user }
admin-done-unlock = { $user } is unlocked: the next login is let through at once.
admin-done-disable = { $user } is disabled; its sessions and tokens are ended.
admin-done-enable = { $user } is enabled.
admin-not-done = Not done
admin-not-yourself = You cannot disable or enable your own account; ask another administrator.
admin-no-such-action = No such action on a user.

## Administration: audit log
admin-audit-title = Administration: audit log
audit-explain = What you may see as an administrator: the node's operational entries (logins, users, tokens, registry, lists) and entries about records { $member } may read; never the content of a record.
audit-verify = checks the hash chain.
audit-action-starts = Action starts with
audit-actor = Actor
audit-actor-placeholder = username
audit-subject = Subject
audit-subject-placeholder = record id or username
audit-filter = Filter
audit-col-when = When (UTC)
audit-col-action = Action
audit-col-detail = Detail
audit-none = No entry you may see matches these filters.
audit-older = Older entries

## Node and peers
peers-title = Node and peers
peers-only = Only the node's administrators see and manage its peers.
peers-node = Node
peers-speaks-for = speaks for
peers-public-url = Public URL
peers-key = Key
peers-fingerprint = fingerprint
peers-key-none = none yet: made when the node is served (
peers-key-none-or = ) or by
peers-added-peer = Peer
peers-added = added. Give its operator this credential; it is shown
peers-once = once
peers-hash-kept = and only its hash is kept:
peers-peers = Peers
peers-col-fingerprint = Key fingerprint
peers-col-state = State
peers-col-pulling = Pulling
peers-col-actions = Actions
peers-unsigned-import = plain TAXII server, unsigned import of collection
peers-retired-keys = Retired keys: { $count } (still trusted for what they signed)
peers-paused = paused
peers-active = active
peers-relay-explain = relay on: CLEAR and GREEN records of other nodes go to and come from it
peers-registry-source = the secretariat's node: its registry is applied here
peers-not-connected = not connected: paste the credential its operator issued for this node
peers-credential-label = Credential { $peer } issued for this node
peers-connect = Connect
peers-position = Position
peers-position-of = { $cursor } of { $high }
peers-behind = behind { $records } sequence numbers, { $seconds } s
peers-in-step = in step
peers-applied = Applied
peers-last-success = Last success
peers-never = never
peers-last-error = Last error
peers-refused = Refused
peers-action-pause = Pause
peers-action-resume = Resume
peers-action-remove = Remove
peers-action-relay-on = Relay on
peers-action-relay-off = Relay off
peers-new-key-label = New public key of { $peer }
peers-after-rotated = after it rotated
peers-set-key = Set key
peers-none = No peers yet. Add one with the key its operator reads from
peers-add = Add a peer
peers-member-hosted = Member it hosts
peers-public-key = Public key
peers-as-its = as its
peers-prints-it = prints it
peers-unsigned-label = Or, for a plain TAXII 2.1 server (not a coalesce node; the URL is its API root): the collection to import
peers-unsigned-hint = its objects carry no coalesce signature and are imported for the member above
peers-add-submit = Add peer
peers-no-such-action = No such action on a peer.

## Filing a report, the first step: its kind
report-form-step-kind = What are you reporting?
report-form-continue = Continue
report-kind-about-foreign-fighter-travel = A person's travel to or from the conflict: the route (origin, transit, destination), its dates and the documents used.
report-kind-about-financing = Money or goods that fund ISIL: the commodity (crude oil, refined products, cash, antiquities), quantities, payments and the route.
report-kind-about-situation-report = What happened, where and when: text only, with the people, organisations and vessels it is about.
report-kind-about-counter-messaging = ISIL's narratives and the channels that carry them, and the answer to them.
report-kind-about-stabilisation-assessment = The state of an area freed from ISIL: needs, services, returns; text only.

## A commitment's page
commitment-parts-heading = What it is measured by
commitment-version = Version { $version }
commitment-as-json = The record as JSON (API)

## Administration: users' roles and passwords, API tokens
admin-tokens = API tokens
admin-tokens-title = Administration: API tokens
admin-tokens-explain = An API token lets a program (a dashboard, a script, a TAXII client) act as a user, reading only what that user may read; the node keeps only its hash. Revoke one that is no longer used or may have leaked.
admin-token-label = What uses it
admin-token-created = Issued
admin-token-expires = Valid until
admin-token-never = until revoked
admin-token-id = Id
admin-revoke = Revoke
admin-revoke-token = Revoke the token “{ $label }” of { $user }
admin-tokens-none = No API token.
admin-issue-token = Issue a token
admin-token-label-hint = What will use it, to know it again in this list (e.g. Baghdad dashboard).
admin-token-days = Valid for (days)
admin-token-days-hint = Empty: until revoked. At most 3660.
admin-token-days-invalid = The days a token is valid are a whole number from 1 to 3660, or empty for until revoked.
admin-issue-token-submit = Issue the token
admin-shown-token = A new API token for { $user }:
admin-shown-reset = The new password of { $user }:
admin-shown-new-user = { $user } is added; its password:
admin-shown-once = Shown this once: the node keeps only its hash. Hand it over by another channel than this one.
admin-done-revoke = The token “{ $label }” of { $user } is revoked.
admin-done-role = { $user } has its new role; its sessions are ended.
admin-role-of = Role of { $user }
admin-change-role-of = Change the role of { $user }
admin-change = Change
admin-reset = Reset password
admin-reset-user = Reset password of { $user }
admin-add-user = Add a user
admin-username-hint = 2 to 64 lower-case letters, digits, dots, hyphens or underscores (e.g. j.smith).
admin-add-user-submit = Add the user
report-withdraw = Withdraw this report

# Personal data: retention and purge
report-form-retain-until = Keep personal data until (reports about people)
report-form-retain-until-hint = Empty: { $days } days from today, the node's default. On the next day the names, documents and travel it records are purged, everywhere it was shared.
personal-kept = Personal data
personal-kept-until = Personal data kept until { $date }
personal-purged-on = Personal data purged on { $date }: what remains names no one.
personal-purge-now = Purge personal data now
personal-purge-explain = Removes names, documents and travel from this record and from every earlier version, here and on every node that holds it. It cannot be undone.
personal-purge-title = Purge personal data
personal-purge-what-report = The report keeps its kind, line of effort, marking and filing time; its links to people and its documents go, and a travel report also loses its title, text, date and route.
personal-purge-what-entity = The person's name, aliases, date of birth, nationality and documents go, and the person is withdrawn.
personal-purge-confirm = Purge now
personal-purge-keep = Keep it
report-edit = Edit this report
report-edit-title = Edit the report
report-save-submit = Save as a new version
report-edit-links-kept = Its links to people, organisations and vessels are kept as they are:
report-edit-no-links = none
report-conflict-heading = Someone saved this report while you were editing it
meeting-edit-title = Edit the meeting
meeting-edit-cancel = Back to the meeting without saving
meeting-edit-tz-hint = Start and end are in the meeting's time zone (an IANA name such as Europe/London or Asia/Baghdad).
meeting-edit-chair-host = The host chairs
meeting-edit-attendance = Attendance
meeting-edit-attendance-hint = One row per attending member; leave the member empty to remove a row.
meeting-edit-member = Member
meeting-edit-delegation = Delegation (people)
meeting-edit-agenda = Agenda
meeting-edit-agenda-hint = Items keep their numbers: decisions and action items refer to them. New items come after them.
meeting-edit-item = Item { $number }
meeting-edit-new-items = New items, one per line
meeting-conflict-heading = Someone saved this meeting while you were editing it
meeting-withdraw = Withdraw the meeting
meeting-versions-title = Versions of a meeting
meeting-col-when = When (local time)
meeting-col-attending = Attending
meeting-col-agenda = Agenda
meeting-field-meeting_type = Kind of meeting
meeting-field-title = Title
meeting-field-place = Place
meeting-field-starts = Starts
meeting-field-ends = Ends
meeting-field-time_zone = Time zone
meeting-field-host = Host
meeting-field-chair = Chair
meeting-field-group = Group
meeting-field-tlp = TLP level
meeting-field-rel_to = Releasable to
meeting-edit-attendee = Attendee { $number }
commitment-edit = Change its status or terms
commitment-edit-title = Change a commitment
commitment-edit-cancel = Back to the commitment without saving
commitment-edit-reason-hint = Only for a dropped commitment, and then required.
commitment-edit-parts-kept = What fulfils it (its parts) and the meetings that discussed it stay as they are.
commitment-conflict-heading = Someone saved this commitment while you were editing it
statement-new = Record a joint statement
statement-new-title = Record a joint statement
statement-edit = Change it
statement-edit-title = Change a joint statement
statement-versions = Versions
statement-versions-title = Versions of a joint statement
statement-conflict-heading = Someone saved this statement while you were editing it
statement-texts = Its text in each language
statement-texts-hint = The first text is the original. Give each language its code (en, ar, fr), its title and its paragraphs: one per block, blank lines between, each starting with its number ("1. The coalition…"), numbered alike in every language. A blank block adds a language.
statement-text = Text
statement-original = original
statement-record = Record the statement
statement-withdraw = Withdraw this statement
statement-cancel = Back to the meeting without saving
statement-field-adopted_on = Adopted on
statement-field-signatories = Signed by
statement-field-source = Where the text comes from
statement-field-language = Language
statement-field-title = Title
statement-field-paragraphs = Paragraphs
statement-field-texts = Texts
statement-field-tlp = TLP level
statement-field-rel_to = Releasable to
statement-col-texts = Languages
statement-col-wording = Original wording
commitment-withdraw = Withdraw the commitment
commitment-versions-title = Versions of a commitment
commitment-field-what = Commitment
commitment-field-owner = Owner
commitment-field-due = Due
commitment-field-state = Status
commitment-field-dropped_reason = Why it was dropped
commitment-field-line_of_effort = Line of effort
commitment-field-tlp = TLP level
commitment-field-rel_to = Releasable to
