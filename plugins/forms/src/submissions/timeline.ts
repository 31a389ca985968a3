// What forms add to a contact's timeline: one entry per processed submission, saying which form.
import { defineTimelineSource, olderThan } from '@soshogle/core';

export const submissionsTimeline = defineTimelineSource({
  name: 'forms',
  async entries({ db }, contactId, { before, limit }) {
    const rows = await db.formSubmission.findMany({
      where: { contactId, ...olderThan(before ?? undefined) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: { form: { select: { name: true } } },
    });
    return rows.map((s) => ({
      id: s.id,
      kind: 'form_submission',
      at: s.createdAt,
      title: `Submitted ${s.form.name}`,
      body: null,
      link: `/forms/${s.formId}/submissions`,
      data: { formId: s.formId, sourceUrl: s.sourceUrl },
    }));
  },
});
