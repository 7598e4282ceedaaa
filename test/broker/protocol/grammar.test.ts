import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineApi } from '../../../src/broker/protocol/api-schema.ts';
import { renderGrammar } from '../../../src/broker/protocol/grammar.ts';

test('renders the protocol guide notation, one block per layout', () => {
  const api = defineApi({
    apiKey: 1000,
    name: 'Sample',
    versions: '0-3',
    flexibleVersions: '2+',
    request: [
      { name: 'topicNames', type: 'string[]', versions: '0+', nullable: '1+' },
      { name: 'memberId', type: 'string', versions: '1+', nullable: '1+' },
      {
        name: 'leader',
        type: 'struct',
        versions: '2+',
        tag: 0,
        fields: [{ name: 'leaderEpoch', type: 'int32', versions: '2+' }],
      },
      { name: 'records', type: 'records', versions: '0+', nullable: '0+' },
    ],
    response: [],
  });
  assert.equal(
    renderGrammar(api, 'request'),
    [
      'Sample Request (Version: 0) => [topic_names] records',
      '  topic_names => STRING',
      '  records => RECORDS',
      '',
      'Sample Request (Version: 1) => [topic_names] member_id records',
      '  topic_names (nullable) => STRING',
      '  member_id => NULLABLE_STRING',
      '  records => RECORDS',
      '',
      'Sample Request (Version: 2-3) => [topic_names] member_id records _tagged_fields',
      '  topic_names (nullable) => COMPACT_STRING',
      '  member_id => COMPACT_NULLABLE_STRING',
      '  records => COMPACT_RECORDS',
      '  leader (tag 0) => leader_epoch _tagged_fields',
      '    leader_epoch => INT32',
    ].join('\n'),
  );
  assert.equal(renderGrammar(api, 'response'), 'Sample Response (Version: 0-1) =>\n\nSample Response (Version: 2-3) => _tagged_fields');
});
