# The web interface in English. Every message here is also in fr.ftl and
# ar.ftl (a test checks it). Placeables: { $name }. Plurals by CLDR rules.

## Layout
skip-to-content = Skip to content
nav-label = Main
nav-overview = Overview
nav-members = Members
nav-groups = Groups
nav-lines = Lines of effort
nav-requirements = Requirements
nav-who = Who does what where
nav-indicators = Indicators
nav-allocation = Allocation
nav-funds = Funds
nav-meetings = Meetings
nav-commitments = Commitments
nav-digest = Digest
nav-plenary-report = Plenary report
nav-reports = Reports
nav-search = Search
nav-notes = Notes
nav-contacts = Contacts
nav-screening = Screening
nav-administration = Administration
nav-peers = Node and peers
signed-in-as = Signed in as
role-viewer = viewer
role-contributor = contributor
role-coordinator = coordinator
role-admin = administrator
scenario-as-of = Demo scenario as of
scenario-explained = Overdue items and the plenary report are judged on this day, not today
log-out = Log out
language = Language
language-change = Change
footer = coalesce · coordination and information sharing of the coalition
any = any
none = None.
and-more = and { $count } more

## Months, as dates are written ("16 Dec 2016")
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Log in, errors
login-title = Log in
login-username = Username
login-password = Password
login-submit = Log in
login-wrong = Wrong username or password.
back-to-overview = Back to the overview
error-title-400 = Bad request
error-title-403 = Forbidden
error-title-404 = Not found
error-title-409 = Conflict
error-title-413 = Too large
error-title-422 = Not valid
error-title-429 = Too many attempts
error-title-500 = Something went wrong
error-title-503 = Not available now

## Home
home-title = Overview
home-heading = The coalition at a glance
home-waiting-for = Waiting for { $member }
home-nothing-waits = Nothing waits for { $member }: no delivery to confirm, no pledge to commit, no proposal to answer, no screening match to review, no action item due.
home-unread = { $count ->
    [one] { $count } unread notice on your digest
   *[other] { $count } unread notices on your digest
}
home-my-requirements = { $member }'s requirements
home-my-contributions = { $member }'s contributions
home-post-requirement = Post a requirement
home-pledge = Pledge a contribution
home-in-numbers = In numbers
home-members = { $count ->
    [one] member
   *[other] members
}
home-states = { $count ->
    [one] state
   *[other] states
}
home-organisations = { $count ->
    [one] organisation
   *[other] organisations
}
home-partners = { $count ->
    [one] partner nation
   *[other] partner nations
}
home-groups = { $count ->
    [one] group
   *[other] groups
}
home-notes = { $count ->
    [one] note releasable to { $member }
   *[other] notes releasable to { $member }
}
home-lines = Lines of effort
home-my-groups = Groups { $member } belongs to
home-group-members = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
home-latest-notes = Latest notes
home-all-notes = All notes
home-share-note = Share a note
task-deliveries-to-confirm = Deliveries to confirm
task-deliveries-to-confirm-hint = confirm what you received, with the quantity
task-requirements-to-confirm = Requirements recorded in your name
task-requirements-to-confirm-hint = confirm that you ask for them
task-contributions-to-confirm = Contributions naming you
task-contributions-to-confirm-hint = confirm that you contribute
task-pledges-to-commit = Pledges to commit
task-pledges-to-commit-hint = commit them when they are firm
task-proposals-to-decide = Allocation proposals to decide
task-proposals-to-decide-hint = accept or reject them
task-proposals-to-commit = Accepted proposals to commit
task-proposals-to-commit-hint = commit the part of your offer
task-screening-matches = Screening matches after a list update
task-screening-matches-hint = review the matches on your records
task-actions-due = Action items due
task-actions-due-hint = report progress or mark them done
task-overdue-since = overdue since { $due } ({ $meeting })
task-due = due { $due } ({ $meeting })

## Notes table
notes-only-releasable = Only notes whose releasability includes { $member } are shown.
notes-col-title = Title
notes-col-marking = Marking
notes-col-from = From
notes-col-updated = Updated
notes-none = No notes releasable to { $member }.

## Kinds of records
report-kind-foreign-fighter-travel = Foreign-fighter travel
report-kind-financing = Financing
report-kind-situation-report = Situation report
report-kind-counter-messaging = Counter-messaging
report-kind-stabilisation-assessment = Stabilisation assessment
entity-kind-person = person
entity-kind-organisation = organisation
entity-kind-vessel = vessel
entity-kind-place = place

## Search
search-title = Search
search-words = Words
search-records = Records
search-records-any = reports and entities
search-records-reports = reports
search-records-entities = entities
search-kind = Kind
search-member = From member
search-line = Line of effort
search-marking = Marking
search-from = Occurred from
search-until = until
search-submit = Search
search-hint = Every word must occur. Names are found however they are spelled or transliterated (Youssef, Yusuf, يوسف), as screening matches them.
search-also = Also searched for
search-also-for = “{ $also }” for “{ $asked }”
search-also-why = : how names you may read spell them.
search-results = { $count ->
    [one] { $count } result among what you may read.
   *[other] { $count } results among what you may read.
}
search-narrow = Narrow the results
search-hit-from = { $kind } from { $member }
search-save-as = Save this search as
search-save = Save
search-saved = Your saved searches
search-saved-none = None yet: search, then save the search under a name to run it again later.
search-delete = Delete
search-delete-saved = Delete the saved search { $name }

## The marking of a record: TLP and REL TO (every form that writes one)
marking-tlp = TLP level
marking-clear = anyone
marking-green = the community named below
marking-amber = the members named below, on a need-to-know basis
marking-amber-strict = their organisations only
marking-red = the people named, for their eyes only (travels only to nodes of members named directly)
rel-to-legend = Releasable to
rel-to-hint = { $member } (your member) is always included. Tick who else may read it: the whole coalition, a group, or members one by one.
rel-to-coalition = The whole coalition (COALITION)
rel-to-members = { $count ->
    [one] One member by name
   *[other] Members by name ({ $count })
}
rel-to-other = Other codes (member codes or GROUP:slug, separated by commas or spaces)
marking-default-meeting = Marking (default: the meeting’s)
admin-scope-member = You manage the users of { $member } only: the users and API tokens of other members are managed by their own administrators or the secretariat’s.
