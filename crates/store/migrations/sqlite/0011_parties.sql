-- Parties of contributions (issue 4): suppliers, carriers, consignees,
-- implementing partners, financial institutions, as screened against the
-- sanctions lists. JSON (domain::needs::Party list), '[]' when none.
ALTER TABLE contributions ADD COLUMN parties TEXT NOT NULL DEFAULT '[]';

-- A screening decision remembers the date of birth and nationality the
-- party was screened with, when it had them: a decision on "Mohamed Ali,
-- born 1980" does not clear "Mohamed Ali, born 1965".
ALTER TABLE screening_decisions ADD COLUMN party_birth_date TEXT;
ALTER TABLE screening_decisions ADD COLUMN party_nationality TEXT;
