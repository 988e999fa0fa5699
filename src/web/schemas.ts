import { Type } from '@sinclair/typebox';

/** The answer of a change that returns nothing: HTTP 204. */
export const NoContent = Type.Null({ description: 'No content' });
