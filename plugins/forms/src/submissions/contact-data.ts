// Forms' part of a contact's data export and erasure: the contact's submissions, answers
// and all (they are the person's own words). Erasure deletes them, as deleting the contact
// would (forms.sql).
import { defineContactData } from '@soshogle/core';

export const contactData = defineContactData({
  name: 'submissions',
  async export({ db }, contactId) {
    const submissions = await db.formSubmission.findMany({
      where: { contactId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      omit: { userId: true },
      include: { form: { select: { name: true } } },
    });
    return { submissions: submissions.map(({ form, ...s }) => ({ formName: form.name, ...s })) };
  },
  async erase(_ctx, contactId, tx) {
    const submissions = (await tx.formSubmission.deleteMany({ where: { contactId } })).count;
    return { erased: { submissions } };
  },
});
