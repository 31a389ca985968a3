// The engine end to end: a real server, worker and database; events raised through the
// same API a plugin uses, workflows created and published through the HTTP API.
import { describe, expect, it } from 'vitest';
import { signedInUser, startTestSoshogle } from '../testing/index.ts';
import { createContact, crmPlugin, eventually, publishWorkflow, queueSettled } from './testing.ts';

// The CRM's steps (crm.add_tag, crm.create_note) are the actions these workflows run.
const soshogle = await startTestSoshogle([await crmPlugin()], { WORKER_CONCURRENCY: '10' });
const { db } = soshogle;

describe('a contact-created workflow', () => {
  it('runs its action once for a committed change, with the run and step log recorded', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CONTACT_CREATED',
      actions: [
        { id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'new' }, next: 'note' },
        { id: 'note', type: 'action', action: 'crm.create_note', props: { content: 'Welcome {{ contact.firstName }}!' } },
      ],
    });
    const contact = await createContact(soshogle, user.userId, { firstName: 'Ann' });

    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    expect(run).toMatchObject({ contactId: contact.id, userId: user.userId, error: null });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(['new']);
    expect((await db.note.findMany({ where: { contactId: contact.id } })).map((n) => n.content)).toEqual(['Welcome Ann!']);
    const steps = await db.workflowStepRun.findMany({ where: { executionId: run.id }, orderBy: { startedAt: 'asc' } });
    expect(steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['tag', 'SUCCEEDED', 1],
      ['note', 'SUCCEEDED', 1],
    ]);
    expect(steps[1]).toMatchObject({ input: { content: 'Welcome Ann!' }, output: { noteId: expect.any(String) } });
    const workflow = await db.workflow.findUniqueOrThrow({ where: { id: workflowId } });
    expect(workflow.executionCount).toBe(1);
    expect(workflow.lastExecutedAt).not.toBeNull();
  });

  it('raises nothing when the change rolls back', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CONTACT_CREATED',
      actions: [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'new' } }],
    });
    await expect(
      soshogle.tenantContext('crm', user.userId).db.$transaction(async (tx) => {
        const contact = await tx.contact.create({ data: { userId: user.userId, firstName: 'Gone' } });
        await soshogle.events.raise(tx, 'core.contact_created', { contactId: contact.id }, { tenantId: user.userId });
        throw new Error('a later check failed');
      }),
    ).rejects.toThrow('a later check failed');
    await queueSettled(soshogle);
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(0);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(0);
  });
});
