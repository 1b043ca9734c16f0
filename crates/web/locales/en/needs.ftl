# needs: en
# Requirements, contributions, who does what where and its map, the
# dashboards of the lines of effort, indicators, allocation, duplication,
# the registry (members, groups, lines of effort) and the funds.

## Words several of these pages share
needs-marking = Marking
needs-colon = :
needs-download = Download:
needs-filter = Filter
needs-next-page = Next page
needs-line = Line of effort
needs-category = Category
needs-item-category = Item category
needs-member = Member
needs-group = Group
needs-status = Status
needs-amount = Amount
needs-requested = Requested
needs-requested-by = Requested by
needs-pledged = Pledged
needs-committed-to-deliver = Committed (to deliver)
needs-delivered = Delivered
needs-gap = Gap
needs-requirement = Requirement
needs-contribution = Contribution
needs-contributions = Contributions
needs-who = Who
needs-what = What
needs-where = Where
needs-when = When
needs-place = Place
needs-window = Window
needs-country = Country
needs-title = Title
needs-description = Description
needs-date = Date
needs-evidence = Evidence
needs-pledge = Pledge
needs-commit = Commit
needs-none-yet = None yet.
needs-none-you-may-read = None you may read.
needs-none-you-may-read-yet = None you may read yet.
# A contribution's status (pledged → committed → delivered, or cancelled).
needs-status-pledged = pledged
needs-status-committed = committed
needs-status-delivered = delivered
needs-status-cancelled = cancelled

## Requirements
req-list-title = Requirements
req-list-intro = What partners ask for, and how much of it is pledged, committed and delivered.
req-list-contributions = Contributions (who does what where)
req-any-member = any member
req-mine = { $member } (mine)
req-download-all = all requirements you may read, CSV (HXL)
req-where-when = Where and when
req-asked = Asked
req-met = met
req-not-confirmed = not yet confirmed by the requester
req-list-none = No requirement you may read matches these filters.
req-post-one = Post one
req-recorded-by = { $requester } (recorded by { $origin })
req-awaiting = ; awaiting { $requester }'s confirmation, nothing is allocated to it until then
req-priority = Priority
req-confirm-explain = { $origin } recorded this requirement in { $member }'s name. Nothing is allocated to it until { $member } confirms it asks for it.
req-confirm = Confirm { $member } asks for this
req-figures = Figures
req-receipt-confirmed = Receipt confirmed
req-over-committed = Over-committed
req-figures-note = Pledges do not close the gap until committed. Figures count only the contributions you may read.
req-pledge-against = Pledge against this requirement
req-pledge-amount = Amount ({ $unit })
req-pledge-amount-money = Amount ({ $unit }, e.g. 250000.00)
req-form-title-errors = Post a requirement ({ $count } to correct)
req-requesting-member = Requesting member
req-priority-most-urgent = { $n }, most urgent
req-priority-least-urgent = { $n }, least urgent
req-post-submit = Post the requirement

## The amount and place fields of the needs forms
req-measure-legend = Amount
req-measure-kind = In kind or money
req-measure-quantity = In kind (a quantity of a unit)
req-measure-money = Money (an amount in a currency)
req-measure-amount = Quantity, or amount in the currency's units (e.g. 1500000.00)
req-measure-unit = Unit (e.g. vest, course, adviser) or ISO 4217 currency (e.g. USD)
req-place-legend = Place
req-place-country = Country (ISO 3166-1 alpha-3)
req-place-admin1 = Governorate or other first-level area (optional; type its name in English, French or Arabic and pick it)
req-place-pcode = Its P-code (e.g. IQG10; left empty, it is looked up by the governorate's name)
req-place-town = Town (optional)
req-window-legend = Time window
req-window-from = From
req-window-until = Until

## Contributions
contrib-contributors = Contributors
contrib-contributing-members = Contributing members (yours first; several for a joint contribution)
contrib-recorded-by = { $contributors } (recorded by { $origin })
contrib-proposed = ; proposed, not yet confirmed: { $members }
contrib-against = Against
contrib-requested-by = (requested by { $member })
contrib-not-releasable = a requirement not releasable to you
contrib-standalone = standalone
contrib-join-explain = { $origin } names { $member } as a contributor. It does not count for { $member } until { $member } confirms.
contrib-join = Confirm { $member } contributes
contrib-parties = Parties
contrib-party-role = Role
contrib-party-kind = Kind
contrib-party-name = Name
contrib-no-parties = No supplier, carrier, consignee or other party recorded.
contrib-save-parties = Save the parties
contrib-party-role-supplier = supplier
contrib-party-role-carrier = carrier
contrib-party-role-consignee = consignee
contrib-party-role-implementing_partner = implementing partner
contrib-party-role-financial_institution = financial institution
contrib-party-role-other = other
contrib-deliveries = Deliveries
contrib-receipt = Receipt
contrib-received-part = { $amount } received
contrib-received-all = all received
contrib-received-on = on { $date }
contrib-confirmed-by = , confirmed by { $user } ({ $member })
contrib-received-of = Received (of { $amount })
contrib-arrived-on = Arrived on
contrib-receipt-note = Note (what was missing or damaged)
contrib-confirm-receipt = Confirm receipt
contrib-not-confirmed = not confirmed
contrib-move-on = Move it on
contrib-delivered-on = Delivered on (YYYY-MM-DD)
contrib-amount-delivered = Amount delivered ({ $unit }; { $outstanding } still to deliver)
contrib-unit-major = { $unit } (in major units)
contrib-evidence-hint = Evidence (waybill, handover certificate …)
contrib-record-delivery = Record the delivery
contrib-cancel = Cancel the contribution

## Who does what where, and its map
who-title = Who does what where
who-see-map = See these on the map
who-count = { $count ->
    [one] contribution you may read match.
   *[other] contributions you may read match.
}
who-import-csv = Import CSV
who-delivered = delivered { $amount }
who-none = No contributions you may read match these filters.
who-totals-by-member = Totals by member
who-area-pcode = Area P-code
who-no-contributions = No contributions you may read.
map-title = Map of who does what where
map-see-table = See these as a table
map-explain = Each governorate is coloured by its least-covered requirement you may read in the line, category and place chosen; the member and status filters narrow the contributions. Pledges do not count as cover until committed.
map-more = Only the newest { $cap } requirements are counted: narrow the filters to see the rest.
map-svg-title = Governorates coloured by how well their requirements are covered
map-legend-unmet = unmet (nothing firm yet)
map-legend-active = contributions, no requirement
map-legend-none = nothing recorded
map-cov-unmet = unmet
map-cov-partly = partly covered
map-cov-covered = covered
map-not-bundled = None of these places is among the bundled boundaries (Iraq and Syria), so they are listed below only.
map-nothing = No requirement or contribution you may read has a governorate yet.
map-nothing-post = with its governorate and P-code, and it appears here.
map-governorate = Governorate
map-coverage = Coverage
map-requirements = Requirements
map-unmet = Unmet
map-partly = Partly
map-covered = Covered
map-not-on-map = not on the map
map-no-requirement = no requirement
map-country-only = Placed by country only, so not on the map: { $requirements ->
    [one] { $requirements } requirement
   *[other] { $requirements } requirements
} and { $contributions ->
    [one] { $contributions } contribution
   *[other] { $contributions } contributions
}.
# What an area's shape says when pointed at.
map-area-requirements = { $count ->
    [one] { $count } requirement
   *[other] { $count } requirements
}: { $unmet } unmet, { $partly } partly covered, { $covered } covered
map-area-contributions = { $count ->
    [one] { $count } contribution
   *[other] { $count } contributions
} by { $members }
map-area-nothing = { $area }: nothing recorded

## Import (CSV and STIX)
import-title = Import
import-csv-intro = Paste a CSV file with HXL hashtags on its second row — the form the exports have
# The exports the import takes, linked from the sentence above.
import-csv-requirements = requirements
import-csv-contributions = contributions
import-csv-indicator-values = indicator values
import-all-or-nothing =
    The import is all or nothing:
    if any row is wrong, every wrong row is listed and nothing is written.
# Split around the link to the STIX export; the page adds its path, /taxii2/.
import-stix-intro =
    Or paste a STIX 2.1 bundle: every object is checked and the bundle is written whole or
    not at all. Markings are kept — TLP 2.0 marking definitions, and REL TO as coalesce's
    marking-definition extension (what
import-stix-export = the STIX export
import-stix-after =
    writes); an object without TLP is TLP:AMBER, without REL TO it is for your member only.
    Imported objects are served by the node's TAXII 2.1 server at
import-done-records = { $count ->
    [one] Imported { $count } record.
   *[other] Imported { $count } records.
}
import-done-objects = { $count ->
    [one] Imported { $count } object.
   *[other] Imported { $count } objects.
}
import-done-objects-held = { $count ->
    [one] Imported { $count } object
   *[other] Imported { $count } objects
}; { $held } held already.
import-line = Line
import-object = Object
import-column = Column
import-reason = Reason
import-records = Records
# What is imported, as the form offers it.
import-what-requirements = requirements
import-what-contributions = contributions
import-what-indicator-values = indicator-values
import-what-stix-bundle = stix-bundle
import-csv-label = CSV, or STIX bundle (JSON)
import-submit = Import
import-stage-reading = Reading and checking the file
import-stage-writing = Writing the rows
import-done-of = { $done } of { $total } written
import-refreshes = This page refreshes itself.
import-stopping = Stopping after the batch under way.
import-cancel = Cancel the import
import-cancel-explain = It stops after the batch under way; the rows written by then stay.
import-no-job = No such import (imports are forgotten when the node restarts).

## The dashboard of a line of effort
dash-who = Who does what where in this line of effort
dash-duplication = Duplication
dash-indicators = Indicators
dash-requirements = Requirements
dash-legend-delivered = delivered
dash-legend-committed = committed
dash-legend-pledged = pledged
dash-legend-gap = gap (not yet committed or delivered)
dash-legend-requested = requested
dash-progress = Progress
dash-priority = priority { $n }
dash-figures = pledged { $pledged } · committed { $committed } · delivered { $delivered }
dash-no-requirements = No open requirements you may read.
dash-recent-deliveries = Recent deliveries
dash-by = By
dash-receipt-confirmed = receipt confirmed
dash-no-deliveries = No deliveries you may read.
dash-trend = Trend
dash-nothing-yet = Nothing yet.
dash-by-member = By member
dash-by-category = By category
# The trend chart.
dash-trend-title = Contributions pledged and deliveries made per month
dash-trend-unit = count
dash-trend-pledged = pledged
dash-trend-deliveries = deliveries

## Indicators
ind-title = Indicators
ind-figures-note = Figures count only the values you may read.
ind-no-value = { $name }: no value reported yet.
ind-no-value-target = { $name }: no value reported yet; the target is { $target }.
ind-as-of = as of { $date }
ind-no-values = no values you may read
ind-target-is = target { $target }
ind-progress-is = progress { $progress }
ind-none-defined = No indicators defined yet.
ind-target-by = { $value } by { $date }
ind-percent = { $n } %
ind-reported = { $name } (reported)
ind-target-line = target { $value }
ind-agg-sum = sum
ind-agg-last = last
ind-agg-max = max
ind-direction-increase = increase is progress
ind-direction-decrease = decrease is progress
ind-unit = Unit
ind-aggregation = Aggregation
ind-baseline = Baseline
ind-actual = Actual
ind-target = Target
ind-progress = Progress
ind-reported-values = Reported values
ind-observed = Observed
ind-value = Value
ind-source = Source
ind-note = Note
ind-report-value = Report a value
ind-observed-on = Observed on (YYYY-MM-DD)
ind-value-in = Value ({ $unit })
ind-note-source = Note / source
ind-report = Report
ind-def-new = Define an indicator
ind-def-edit = Change its definition
ind-def-new-title = Define an indicator
ind-def-edit-title = Change an indicator's definition
ind-def-explain = Indicators are the coalition's shared catalogue: every member reports values against the same definition. Coordinators define them.
ind-def-slug = Identifier
ind-def-slug-hint = Lower-case letters, digits and hyphens (territory-held); it never changes.
ind-def-slug-fixed = Identifier: { $slug } (it never changes).
ind-def-name = Name
ind-def-description = What it measures and where its figures come from
ind-def-unit-hint = What a value counts: airstrikes, km², %, people.
ind-def-line = Line of effort
ind-def-direction = Which way is progress
ind-def-aggregation-hint = sum: each value is a count for its period, the figure their total; last: each value is a reading of the whole, the figure the latest; max: the highest reading so far.
ind-def-baseline-date = Baseline date
ind-def-targets = Targets
ind-def-targets-hint = One per line: the date and the value to reach by then (2016-12-31 20000), each beyond the baseline in the direction of progress.
ind-def-save = Save the definition
ind-def-cancel = Back without saving

## Allocation
alloc-title = Allocation
alloc-intro = The engine assigns standalone pledges (offers) to open requirements optimally: the most delivered, weighted by priority, at the least cost (lead time, distance, splitting). An offer serves a requirement of the same item category and unit, in the place it names, in an overlapping window, for its own line of effort. Only what you may read goes in.
alloc-running = Running
alloc-started = Started { $at } by { $by }: { $stage }
alloc-done-of = ({ $done } of { $total })
alloc-steps = { $done ->
    [one] ({ $done } step)
   *[other] ({ $done } steps)
}
alloc-stopping = Stopping…
alloc-refreshes = This page refreshes until it ends.
alloc-cancel-run = Cancel the run
alloc-cancelled = The run started { $at } by { $by } was cancelled; nothing was kept.
alloc-failed = The run started { $at } by { $by } failed: { $error }
alloc-run-now = Run the allocation now
alloc-latest-run = Latest run
alloc-run-summary = { $at } by { $by }: { $requirements ->
    [one] { $requirements } open requirement
   *[other] { $requirements } open requirements
} and { $offers ->
    [one] { $offers } offer
   *[other] { $offers } offers
} you may read,
alloc-pairs-hidden = compatible pairs not shown (the run took in records you may no longer read)
alloc-pairs = { $count ->
    [one] { $count } compatible pair
   *[other] { $count } compatible pairs
}
alloc-proposal-count = { $count ->
    [one] proposal
   *[other] proposals
}
alloc-gap-count = { $count ->
    [one] requirement
   *[other] requirements
} left with a gap.
alloc-proposals = Proposals
alloc-offer = Offer
alloc-why = Why
alloc-decision = Decision
alloc-reason = Reason
alloc-accept = Accept
alloc-reject = Reject
alloc-decided-by = by { $user }
alloc-commitment = commitment
alloc-no-proposals = No proposals: no offer you may read fits an open requirement you may read.
alloc-gaps = Gaps
alloc-missing = { $missing } of { $requested } missing
alloc-no-gaps = None: every open need is covered.
alloc-surplus = Surplus
alloc-surplus-explain = Offers the open needs did not take in full (over-commitment, or no compatible need yet).
alloc-surplus-left = { $surplus } left of { $offered } ({ $allocated } proposed)
alloc-no-surplus = None: every offer is used in full.
alloc-no-run = No run yet.
alloc-mine = Proposals for { $member }'s offers
# A proposal's status.
alloc-status-proposed = proposed
alloc-status-accepted = accepted
alloc-status-rejected = rejected
alloc-status-committed = committed
# What a running allocation is doing.
alloc-stage-loading = reading the requirements and offers
alloc-stage-model = building the instance
alloc-stage-pairs = finding compatible offers and requirements
alloc-stage-solving = solving
alloc-stage-explaining = explaining the proposals and gaps
alloc-stage-saving = saving the run
alloc-stage-working = working

## Duplication
dup-title = Duplication
dup-note = Computed only over what you may read.
dup-over = Requirements offered more than they asked for
dup-offered = Offered (pledged, committed, delivered)
dup-overlapping = Overlapping contributions without a requirement
dup-overlapping-note = Same item category, same place, overlapping time windows.

## The registry: lines of effort, members, groups
reg-lines-title = Lines of effort
reg-members-title = Members
reg-members-count = Members ({ $count })
reg-code = Code
reg-name = Name
reg-kind = Kind
reg-role = Role
reg-joined = Joined
reg-kind-state = state
reg-kind-organisation = organisation
reg-role-member = member
reg-role-partner = partner
reg-groups-title = Groups
reg-groups = Groups
reg-group = Group
reg-members = Members
reg-group-kind-small_group = small group
reg-group-kind-working_group = working group
reg-group-kind-task_force = task force
reg-group-kind-community = community
reg-group-marking = in markings reaches its members.
reg-member-contributions = { $count ->
    [one] contribution you may read, by line of effort:
   *[other] contributions you may read, by line of effort:
}
reg-with = With
reg-all-in-who = All of them in who does what where

## Funds
fund-title = Funds
fund-intro = Pooled funds the coalition's members pay into, and what they pay for. Each fund's page shows its status table and charts over the transfers you may read.
fund-fund = Fund
fund-agent = Administrative agent
fund-base-currency = Base currency
fund-opened = Opened
fund-none = No fund you may read.
fund-agent-is = Administrative agent:
fund-terms = Opened { $opened }. Base currency { $base }; the agent's fee { $fee } % of each deposit, the organisations' indirect costs { $indirect } % of each transfer.
fund-partial-label = Partial totals:
fund-partial = some of this fund's transfers are not releasable to you; the figures below are those of the transfers you may read.
fund-status = Status of the fund
fund-sources = Sources
fund-uses = Uses
fund-balances = Balances
fund-caption-base = In { $currency }, each transfer at the rate of its value date
fund-caption-currency = As recorded in { $currency }
fund-charts = Charts
fund-windows = Windows
fund-projects = Projects
fund-code = Code
fund-project = Project
fund-window = Window
fund-place-pcode = Place (P-code)
fund-organisation = Organisation
fund-budget = Budget
fund-no-project = No project you may read.
fund-latest-transfers = Latest transfers
fund-id = Id
fund-what = What
fund-value-date = Value date
fund-amount = Amount
fund-parties = Donor / window / project / organisation
fund-at-rate = at { $rate }
fund-no-transfer = No transfer you may read.
fund-record-operation = Record an operation
fund-record-explain = As a fund manager: each operation is checked by the ledger and recorded with its linked transfers (the agent's fee with a deposit, indirect costs with a disbursement), or refused with the rule it breaks.
fund-operation = Operation
fund-op-pledge = Pledge (donor)
fund-op-commit = Commit a pledge
fund-op-void = Void a pledge
fund-op-deposit = Deposit against a commitment
fund-op-allocate = Allocate to a window
fund-op-approve = Approve a project budget
fund-op-disburse = Disburse to an organisation
fund-op-expend = Expenditure
fund-op-refund = Refund from an organisation
fund-op-interest = Interest
fund-op-reverse = Reverse a transfer
fund-currency = Currency
fund-donor = Donor
fund-pledge-id = Pledge id
fund-transfer-to-reverse = Transfer to reverse
fund-pledge-marking = Marking of a pledge (default: the fund's)
fund-record = Record
# The lines of the status table and the charts.
fund-line-commitments = Donor commitments
fund-line-deposits = Deposits
fund-line-interest = Interest
fund-line-refunds = Refunds from organisations
fund-line-transfers = Transfers to organisations
fund-line-agent-fees = Administrative agent fees
fund-line-indirect = Indirect costs (within transfers)
fund-line-expenditure = Expenditure (within transfers)
fund-line-total-sources = Total sources
fund-line-total-uses = Total uses
fund-line-with-agent = Held by the administrative agent
fund-line-with-organisations = Held by participating organisations
fund-line-receivable = Committed, not yet deposited
fund-line-exchange = Exchange differences on settled commitments
fund-line-pledged = Pledged, not yet committed
fund-line-allocated = Allocated to windows
fund-line-approved = Approved for projects
fund-chart-year = Sources and uses per year ({ $currency })
fund-chart-window = Per window ({ $currency })
fund-chart-donor = Per donor ({ $currency })
fund-series-deposits = Deposits
fund-series-transfers = Transfers to organisations
fund-series-expenditure = Expenditure
fund-series-allocated = Allocated
fund-series-approved = Approved for projects
fund-series-pledged = Pledged, not yet committed
fund-series-committed = Committed
fund-series-deposited = Deposited
# A project's status.
fund-project-status-planned = planned
fund-project-status-ongoing = ongoing
fund-project-status-completed = completed
fund-project-status-cancelled = cancelled
# What a transfer is (the ledger's codes) and its phase.
fund-code-pledge = pledge
fund-code-commitment = commitment
fund-code-pledge_void = pledge_void
fund-code-deposit = deposit
fund-code-agent_fee = agent_fee
fund-code-interest = interest
fund-code-allocation = allocation
fund-code-approval = approval
fund-code-disbursement = disbursement
fund-code-indirect_cost = indirect_cost
fund-code-expenditure = expenditure
fund-code-refund = refund
fund-phase-pending = pending
fund-phase-post = post
fund-phase-void = void

## Editing, withdrawing and the versions of a requirement
req-edit = Edit
req-edit-title = Edit the requirement
req-save-submit = Save the changes
req-versions = Versions ({ $version })
req-versions-title = Versions of a requirement
req-withdraw = Withdraw
req-conflict-heading = Someone saved this requirement while you were editing it
req-conflict-explain = Nothing of yours is saved yet. Version { $version } was saved by { $by } at
req-conflict-choose = Choose, for each field changed meanwhile, which value to keep; your values are in the form below
req-conflict-field = Field
req-conflict-theirs = In version { $version }
req-conflict-yours = Yours
req-conflict-keep = Keep
req-conflict-take-theirs = the newer value
req-conflict-same = No field differs: saving keeps your values.
req-field-title = Title
req-field-description = Description
req-field-requesting_member = Requesting member
req-field-line_of_effort = Line of effort
req-field-category = Item category
req-field-kind = In kind or money
req-field-amount = Amount
req-field-unit = Unit or currency
req-field-country = Country
req-field-admin1_name = Governorate
req-field-admin1_pcode = P-code
req-field-town = Town
req-field-start = From
req-field-end = Until
req-field-priority = Priority
req-field-tlp = TLP level
req-field-rel_to = Releasable to
contrib-versions-title = Versions of a contribution
contrib-versions = Versions ({ $version })
req-measure-unit-hint = Pick or type: a unit in lower case (kit, police-officer), or a currency code for money (USD, IQD).
contrib-edit-title = Edit the contribution
contrib-edit-cancel = Back to the contribution without saving
contrib-edit-fixed-members = The contributing members stay as recorded: to change them, cancel this contribution and pledge a new one.
contrib-edit-fixed-requirement = It answers its requirement and counts in its unit; the line of effort and item category are the requirement's.
contrib-edit-amount-hint = Never less than what was delivered. A new amount, place or window asks each co-contributor to confirm again.
contrib-edit-place-hint = Leave the place and the window empty to take the requirement's.
contrib-conflict-heading = Someone saved this contribution while you were editing it
ind-value-edit-title = Change a reported value
ind-value-edit-cancel = Back to the indicator without saving
ind-value-conflict-heading = Someone saved this value while you were editing it
ind-value-withdraw = Withdraw this value
ind-value-versions = Versions
ind-value-versions-title = Versions of a reported value
ind-value-record = Record
ind-field-observed_on = Observed on
ind-field-value = Value
ind-field-note = Note or source
ind-field-tlp = TLP level
ind-field-rel_to = Releasable to
