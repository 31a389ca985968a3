-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Contact_userId_createdAt_id_idx" ON "Contact"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Contact_userId_updatedAt_id_idx" ON "Contact"("userId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Contact_userId_firstName_id_idx" ON "Contact"("userId", "firstName", "id");

-- CreateIndex
CREATE INDEX "Contact_search_trgm_idx" ON "Contact" USING GIN ("firstName" gin_trgm_ops, "lastName" gin_trgm_ops, "company" gin_trgm_ops, "phone" gin_trgm_ops);
