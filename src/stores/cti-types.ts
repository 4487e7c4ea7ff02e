// The element and message types the console's data layer uses, from the CTI library
// (src/cti/parser/types.ts; PROTOCOL.md "Elements", "Field translations"). One import point so
// the store and the worker do not reach into the library's folders in many places.
export type {
  Channel,
  ChannelState,
  ChannelTarget,
  ChannelWaiting,
  CtiElement,
  CtiMessage,
  Domain,
  EndUser,
  EndUserItem,
  ErlInt,
  Group,
  GroupMember,
  OtherInfo,
  ParkedChannel,
  QueuedChannel,
  Terminal,
  TimestampUs,
  User,
} from '../cti/parser/types.ts';
