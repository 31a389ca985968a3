// The agency roll-up's count of campaigns per sub-account.
import { countsByTenant, defineCount } from '@soshogle/core';

export const campaignsCount = defineCount({
  name: 'campaigns',
  async count(db, tenantIds) {
    const rows = await db.campaign.groupBy({ by: ['userId'], where: { userId: { in: tenantIds } }, _count: { _all: true } });
    return countsByTenant(rows);
  },
});
