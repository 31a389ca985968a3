-- Owner: the payments plugin (payments.prisma). What Prisma cannot describe, so its
-- migrations never write it: every statement here is copied into the migration that
-- introduced it, and prisma/src/drift.test.ts checks both that it is there and that the
-- database the schema describes plus this file is the database the migrations build.

-- Money records outlive the contact: deleting a contact clears only the contact column
-- (PostgreSQL 15+ SET NULL with a column list keeps userId), never the payment or invoice.
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_contactId_fkey"
  FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId")
  ON DELETE SET NULL ("contactId") ON UPDATE CASCADE;
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_contactId_fkey"
  FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId")
  ON DELETE SET NULL ("contactId") ON UPDATE CASCADE;

-- Amounts are positive, refunds never exceed the payment.
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_amounts_check"
  CHECK ("amount" > 0 AND "amountRefunded" >= 0 AND "amountRefunded" <= "amount");
ALTER TABLE "PaymentRefund" ADD CONSTRAINT "PaymentRefund_amount_check" CHECK ("amount" > 0);
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_amounts_check"
  CHECK ("quantity" BETWEEN 1 AND 10000 AND "unitAmount" >= 0);
