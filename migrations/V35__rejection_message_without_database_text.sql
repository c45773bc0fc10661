-- Why: rejections of reason STORAGE_REJECTED used to carry PostgreSQL's own error text (SQLSTATE,
-- table and column names, the offending value), and GET /api/v1/rejected-events shows the message
-- to every viewer. The service now keeps that text in its log only; rows written before say the
-- same as new ones. A data fix, idempotent: it rewrites only messages that still differ.
UPDATE rejected_event
   SET message = 'The database refused the event for good; the service log has the cause.'
 WHERE reason = 'STORAGE_REJECTED'
   AND message <> 'The database refused the event for good; the service log has the cause.';
