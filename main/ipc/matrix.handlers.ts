import * as M from '../services/matrix.service';
import * as R from '../services/matrix-read.service';
import { fullRescore, rescoreStatus } from '../services/rescore-job';
import type { Handlers } from './handle';

type MatrixChannels =
  | 'reference:get'
  | 'networks:list'
  | 'networks:get'
  | 'networks:create'
  | 'networks:update'
  | 'networks:rescore-all'
  | 'networks:rescore-status'
  | 'people:list'
  | 'people:get'
  | 'people:create'
  | 'people:update'
  | 'intelligence:create'
  | 'memberships:create'
  | 'memberships:end'
  | 'memberships:confirm'
  | 'offences:create'
  | 'offences:set-stage'
  | 'offences:link'
  | 'offences:decide-link'
  | 'ratings:set'
  | 'ratings:set-many'
  | 'offences:find'
  | 'flags:list'
  | 'flags:propose'
  | 'flags:confirm'
  | 'flags:end'
  | 'overrides:request'
  | 'overrides:decide';

export const matrixHandlers: Pick<Handlers, MatrixChannels> = {
  'reference:get': () => R.reference(),
  'networks:list': (s, i) => R.matrix(s, i.asOf),
  'networks:get': (s, i) => R.networkCard(s, i.id, i.reason),
  'networks:create': (s, i) => M.createNetwork(s, i),
  'networks:update': (s, i) => M.editNetwork(s, i.id, i.draft),
  // Through the job: a large vault rescores in a worker and the window stays responsive.
  'networks:rescore-all': async (s, i) => {
    const r = await fullRescore(s, { asOf: i.asOf });
    return { scored: r.scored, changed: r.changed };
  },
  'networks:rescore-status': (s) => rescoreStatus(s),
  'people:list': (s) => R.people(s),
  'people:get': (s, i) => R.personCard(s, i.id, i.reason),
  'people:create': (s, i) => M.createPerson(s, i),
  'people:update': (s, i) => M.editPerson(s, i.id, i.draft),
  'intelligence:create': (s, i) => M.recordIntelligence(s, i),
  'memberships:create': (s, i) => M.linkPerson(s, i),
  'memberships:end': (s, i) => M.endMembership(s, i.id, i.reason),
  'memberships:confirm': (s, i) => M.confirmMembership(s, i.id),
  'offences:create': (s, i) => M.recordOffence(s, i),
  'offences:set-stage': (s, i) => M.setOffenceStage(s, i.id, i.stage),
  'offences:link': (s, i) => M.linkOffence(s, i),
  'offences:decide-link': (s, i) => M.decideOffenceLink(s, i.id, i.decision),
  'ratings:set': (s, i) => M.rateNetwork(s, i),
  'ratings:set-many': (s, i) => M.rateNetworkMany(s, i.networkId, i.ratings),
  'offences:find': (s, i) => M.findOffences(s, i.crimeReference),
  'flags:list': (s, i) => R.flags(s, i.view),
  'flags:propose': (s, i) => M.proposeFlag(s, i),
  'flags:confirm': (s, i) => M.confirmFlag(s, i.id),
  'flags:end': (s, i) => M.endFlag(s, i.id, i.status, i.reason),
  'overrides:request': (s, i) => M.requestOverride(s, i),
  'overrides:decide': (s, i) => M.decideOverride(s, i.id, i.decision),
};
