-- Allocation in the product (issue 5): a coordinator runs the engine over
-- the open requirements and the standalone pledges it may read; the run
-- keeps its figures and gap explanations (shown to its member's users only)
-- and its proposals. A proposal is read only by users who may read both its
-- offer (contribution) and its requirement. A coordinator accepts or
-- rejects a proposal; the offering member's users then commit an accepted
-- one, which becomes a committed contribution against the requirement.

CREATE TABLE allocation_runs (
    id TEXT PRIMARY KEY,
    member TEXT NOT NULL REFERENCES members (code),
    run_at BIGINT NOT NULL,
    run_by TEXT NOT NULL,
    requirements BIGINT NOT NULL,
    offers BIGINT NOT NULL,
    compatible_pairs BIGINT NOT NULL,
    requested BIGINT NOT NULL,
    proposed BIGINT NOT NULL,
    gaps TEXT NOT NULL,
    -- Offers (partly) left over: what the open needs did not take.
    surplus TEXT NOT NULL
);

CREATE TABLE allocation_proposals (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES allocation_runs (id),
    seq BIGINT NOT NULL,
    contribution_id TEXT NOT NULL REFERENCES contributions (id),
    requirement_id TEXT NOT NULL REFERENCES requirements (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    explanation TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'committed')),
    decided_at BIGINT,
    decided_by TEXT,
    reason TEXT,
    committed_contribution_id TEXT REFERENCES contributions (id),
    UNIQUE (run_id, seq)
);
CREATE INDEX allocation_proposals_by_offer ON allocation_proposals (contribution_id);
