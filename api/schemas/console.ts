// Requests and answers of the routes the web console added: sign-in, my
// to-do list, the document list and the actions a caller may take, the
// selection list, the organisation, officials' tokens (zod; OpenAPI).
import { z } from 'zod';
import '../openapi';
import { pageQuery } from '../pagination';

const instant = z.string();
const light = z.enum(['GREEN', 'YELLOW', 'RED']);
const code = z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '只允许字母、数字和 _ . : -');

// ---- sign-in

export const LoginCodeBody = z.object({ email: z.string().trim().min(3).max(200).pipe(z.email('请输入有效的工作邮箱')) }).strict();
export const SessionBody = z
  .object({ email: z.string().trim().min(3).max(200), code: z.string().trim().regex(/^\d{6}$/, '验证码为6位数字') })
  .strict();
export const LoginCodeSent = z.object({ sent: z.boolean(), expiresInMinutes: z.number() });
export const SignedOut = z.object({ signedOut: z.boolean() });
export const AuthMethods = z.object({ methods: z.array(z.object({ id: z.string(), label: z.string() })) });
export const SessionView = z
  .object({
    official: z.object({
      id: z.string(),
      name: z.string(),
      title: z.string().nullable(),
      email: z.string(),
      unitId: z.string(),
      unitName: z.string(),
      unitKind: z.string(),
      roles: z.array(z.string()),
      isAdmin: z.boolean(),
      /** The unit whose platform this official is the 站长 of (第十九条（三）), or null. */
      siteMasterOf: z.string().nullable(),
    }),
    /** Echo in X-CSRF-Token on every write made with the session cookie; null for bearer tokens. */
    csrfToken: z.string().nullable(),
    expiresAt: instant.nullable(),
    method: z.string(),
  })
  .openapi('SessionView');

// ---- my to-do list

const Subject = z.object({ type: z.string(), id: z.string(), title: z.string().optional(), reference: z.string().optional() });
export const Todo = z
  .object({
    /** Unacknowledged notices plus open obligations: the number in the console's header. */
    count: z.number(),
    notices: z.array(
      z.object({
        noticeId: z.string(),
        kind: z.string(),
        kindLabel: z.string(),
        title: z.string(),
        rule: z.string(),
        explanation: z.unknown(),
        dueAt: instant.nullable(),
        createdAt: instant,
        light: light.nullable(),
        subject: Subject,
        link: z.string(),
      }),
    ),
    obligations: z.array(
      z.object({
        obligationId: z.string(),
        title: z.string(),
        rule: z.string(),
        family: z.string(),
        familyTitle: z.string().optional(),
        unitName: z.string(),
        dueAt: instant,
        light,
        overdue: z.boolean(),
        daysOverdue: z.number(),
        subject: Subject,
        link: z.string(),
      }),
    ),
  })
  .openapi('Todo');

// ---- documents

export const DocumentListQuery = z
  .object({
    state: code.optional(),
    leadUnit: code.optional(),
    overdue: z.enum(['true', 'false']).optional(),
    /** Part of the title or the document number. */
    q: z.string().trim().min(1).max(100).optional(),
    ...pageQuery(),
  })
  .strict();
export const DocumentList = z.object({
  nextCursor: z.string().nullable(),
  /** Every state with its Chinese name, for the state filter. */
  states: z.record(z.string(), z.string()),
  items: z.array(
    z.object({
      id: z.string(),
      docNumber: z.string(),
      title: z.string(),
      level: z.enum(['CENTRAL', 'PROVINCIAL']),
      state: z.string(),
      stateLabel: z.string(),
      leadUnitId: z.string().nullable(),
      leadUnitName: z.string().nullable(),
      receivedAt: instant,
      dueAt: instant.nullable(),
      /** The most urgent open obligation's light; null when nothing is open. */
      light: light.nullable(),
      overdue: z.boolean(),
    }),
  ),
});

export const DocumentAction = z.object({
  /** The step's route below /documents/{id}/ (e.g. "ledger", "ledger-tasks/{taskId}/close"). */
  path: z.string(),
  /** Which form the console shows. */
  form: z.enum([
    'lead',
    'acknowledge',
    'ledger',
    'draft',
    'review',
    'issuance',
    'exemption',
    'manual-chase',
    'reassign',
    'add-task',
    'task-progress',
    'task-close',
    'distribution-ack',
  ]),
  label: z.string(),
  taskId: z.string().optional(),
  /** distribution-ack: the district that signs for the issued municipal document. */
  districtId: z.string().optional(),
  /** Obligations a manual chase may name. */
  obligations: z.array(z.object({ name: z.string(), title: z.string() })).optional(),
});
export const DocumentActions = z
  .object({
    state: z.string(),
    stateLabel: z.string(),
    /** Just registered: the workflow has not recorded its first state yet; ask again in a moment. */
    pending: z.boolean(),
    actions: z.array(DocumentAction),
  })
  .openapi('DocumentActions');

// ---- innovation

export const SelectionList = z.object({
  items: z.array(z.object({ id: z.string(), phase: z.string(), phaseLabel: z.string(), phaseDueAt: instant.nullable(), candidates: z.number(), approvedAt: instant.nullable() })),
});

// ---- organisation

export const Units = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), parentId: z.string().nullable() })),
});
export const OfficialsQuery = z.object({ unit: code.optional(), q: z.string().trim().min(1).max(50).optional() }).strict();
export const Officials = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), title: z.string().nullable(), unitId: z.string(), roles: z.array(z.string()), active: z.boolean() })),
});

// ---- 站长 of each platform (第十九条（三）)

export const SiteMastersQuery = z.object({ vacant: z.enum(['true', 'false']).optional(), kind: z.enum(['REFORM_OFFICE', 'DISTRICT', 'DEPARTMENT']).optional() }).strict();
export const SiteMasters = z
  .object({
    items: z.array(
      z.object({
        unitId: z.string(),
        unitName: z.string(),
        unitKind: z.string(),
        /** The role whose holder is the unit's 站长. */
        role: z.string(),
        masters: z.array(z.object({ id: z.string(), name: z.string(), title: z.string().nullable(), email: z.string() })),
        /** Nobody active holds the role: the platform has no 站长. */
        vacant: z.boolean(),
      }),
    ),
  })
  .openapi('SiteMasters');

// ---- officials' bearer tokens (administrators, and a unit's 站长 for its officials)

export const TokenBody = z.object({ label: z.string().trim().min(1).max(100), days: z.number().int().min(1).max(3650).optional() }).strict();
export const Tokens = z.object({
  items: z.array(z.object({ id: z.string(), officialId: z.string(), label: z.string(), createdAt: instant, expiresAt: instant, revokedAt: instant.nullable() })),
});
export const TokenIssued = z.object({
  id: z.string(),
  officialId: z.string(),
  label: z.string(),
  expiresAt: instant,
  /** Shown once: only its hash is stored. */
  token: z.string(),
});
