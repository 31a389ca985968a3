-- DropTable
DROP TABLE "WebhookDelivery";

-- CreateTable
CREATE TABLE "WebhookInbox" (
    "id" BIGSERIAL NOT NULL,
    "plugin" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "body" BYTEA,
    "headers" JSONB,
    "url" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "dueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),
    "failedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "WebhookInbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookInbox_tenantId_idx" ON "WebhookInbox"("tenantId");

-- CreateIndex
CREATE INDEX "WebhookInbox_receivedAt_idx" ON "WebhookInbox"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookInbox_plugin_path_tenantId_deliveryId_key" ON "WebhookInbox"("plugin", "path", "tenantId", "deliveryId");

-- AddForeignKey
ALTER TABLE "WebhookInbox" ADD CONSTRAINT "WebhookInbox_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- From prisma/schema/core.sql: the pending deliveries the apply job reads.
CREATE INDEX "WebhookInbox_pending_idx" ON "WebhookInbox" ("plugin", "path", "tenantId", "id") WHERE "appliedAt" IS NULL AND "failedAt" IS NULL;
