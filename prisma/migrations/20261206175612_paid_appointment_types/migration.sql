-- AlterTable
ALTER TABLE "AppointmentType" ADD COLUMN     "currency" TEXT,
ADD COLUMN     "paymentHoldMinutes" INTEGER,
ADD COLUMN     "price" DECIMAL(19,4);

-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN     "paymentDueAt" TIMESTAMP(3),
ADD COLUMN     "paymentId" TEXT,
ADD COLUMN     "paymentStatus" TEXT;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "reference" TEXT;
