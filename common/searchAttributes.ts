// Custom search attributes the workflows set, registered on the dev server
// (npm start, tests) and in docker-compose, so administrators can search at scale.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const FAMILY = defineSearchAttributeKey('DubanFamily', SearchAttributeType.KEYWORD);
export const STATE = defineSearchAttributeKey('DubanState', SearchAttributeType.KEYWORD);
export const UNITS = defineSearchAttributeKey('DubanUnits', SearchAttributeType.KEYWORD_LIST);
export const LEVEL = defineSearchAttributeKey('DubanLevel', SearchAttributeType.KEYWORD);
export const DUE_AT = defineSearchAttributeKey('DubanDueAt', SearchAttributeType.DATETIME);

/** Name → CLI type, for `temporal server start-dev --search-attribute` and `operator search-attribute create`. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'KeywordList' | 'Datetime'> = {
  DubanFamily: 'Keyword',
  DubanState: 'Keyword',
  DubanUnits: 'KeywordList',
  DubanLevel: 'Keyword',
  DubanDueAt: 'Datetime',
};
