// The agency roll-up's count of messages (sent and received) per sub-account.
import { countsByTenant, defineCount } from '@soshogle/core';

export const messagesCount = defineCount({
  name: 'messages',
  async count(db, tenantIds) {
    const rows = await db.message.groupBy({ by: ['userId'], where: { userId: { in: tenantIds } }, _count: { _all: true } });
    return countsByTenant(rows);
  },
});
