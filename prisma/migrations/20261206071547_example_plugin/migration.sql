-- CreateTable
CREATE TABLE "ExamplePing" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "contactId" TEXT,
    "message" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "key" TEXT,
    "sandbox" BOOLEAN,
    "providerId" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExamplePing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExamplePing_userId_contactId_createdAt_idx" ON "ExamplePing"("userId", "contactId", "createdAt");

-- CreateIndex
CREATE INDEX "ExamplePing_userId_createdAt_idx" ON "ExamplePing"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExamplePing_userId_key_key" ON "ExamplePing"("userId", "key");

-- AddForeignKey
ALTER TABLE "ExamplePing" ADD CONSTRAINT "ExamplePing_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
