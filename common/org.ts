// Well-known unit ids of the organisation (see prisma/seed-data.ts).
export const REFORM_OFFICE_ID = 'reform-office'; // 市委改革办
export const LEADERSHIP_ID = 'leading-group'; // 市委全面深化改革领导小组 and city leaders
export const PROPAGANDA_ID = 'dept-propaganda'; // 市委宣传部 (一月一宣传)
