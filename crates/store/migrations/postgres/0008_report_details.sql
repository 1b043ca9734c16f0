-- Kind-specific details of reports (issue 6): the route and documents of a
-- foreign-fighter travel report; commodity, quantity, payments and route of a
-- financing report; narratives and channels of a counter-messaging report.
-- JSON (domain::reports::ReportDetails), '{}' when none.
ALTER TABLE reports ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
