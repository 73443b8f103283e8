// Type declarations of @beckon/client: Beckon's requests, answers, events and errors.
// Interface names follow the schemas of Beckon's OpenAPI document (/q/openapi); a test checks them against it.

// ---- values ------------------------------------------------------------------------------------

/** 1..128 characters of `[A-Za-z0-9._@:-]`: the user's id in the application. */
export type UserId = string;

export type Permission = 'JOIN' | 'SEND_AUDIO' | 'SEND_VIDEO' | 'SHARE_SCREEN' | 'SHARE_VIDEO' | 'SHARE_FILE'
  | 'SEND_MESSAGE' | 'RECORD' | 'STREAM' | 'INVITE' | 'KICK' | 'UPDATE_PERMISSIONS';

export type CallType = 'video_call' | 'audio_call' | 'live_streaming';

export type InvitationState = 'PENDING' | 'RINGING' | 'ACCEPTED' | 'DECLINED' | 'CANCELED' | 'EXPIRED';

export type DeclineReason = 'busy' | 'declined' | 'unavailable';

/** "ring" (default) rings a busy invitee anyway; "reject" declines for them with reason "busy". */
export type BusyPolicy = 'ring' | 'reject';

export type RespondAction = 'accept' | 'decline';

export type Direction = 'incoming' | 'outgoing';

export type Platform = 'webpush' | 'fcm' | 'apns';

export type ParticipantStatus = 'RESERVED' | 'CONNECTED' | 'DECLINED' | 'CANCELED' | 'EXPIRED' | 'LEFT';

export type ErrorCode = 'invalid_request' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large'
  | 'rate_limited' | 'unavailable';

/** An ISO-8601 UTC time, e.g. `2026-11-30T12:00:00Z`. */
export type Timestamp = string;

export interface Invitee {
  userId: UserId;
  name?: string;
  avatarUrl?: string;
  /** Default: JOIN … STREAM. */
  permissions?: Permission[];
}

export interface Party {
  userId: UserId;
  name?: string;
  avatarUrl?: string;
}

export interface Settings {
  /** 5..600, default 30. */
  ringTimeoutSeconds?: number;
  canInviteDuringCall?: boolean;
  onlyInitiatorCanInvite?: boolean;
  maxInviteesPerRequest?: number;
  busyPolicy?: BusyPolicy;
}

/** A conference's settings as it answers them, defaults filled in. */
export interface ConferenceSettings {
  ringTimeoutSeconds: number;
  canInviteDuringCall: boolean;
  onlyInitiatorCanInvite: boolean;
  maxInviteesPerRequest: number;
  busyPolicy: BusyPolicy;
}

// ---- requests ----------------------------------------------------------------------------------

export interface CreateConferenceRequest {
  alias?: string;
  protected?: boolean;
  callType?: CallType;
  message?: string;
  roomUrl?: string;
  settings?: Settings;
  participants?: Invitee[];
  /** With a server token: the user to act for. */
  as?: UserId;
}

export interface InviteRequest {
  conferenceId: string;
  invitees: Invitee[];
  message?: string;
  ringTimeoutSeconds?: number;
  as?: UserId;
}

export interface RespondRequest {
  invitationId: string;
  action: RespondAction;
  /** Decline only; default "declined". */
  reason?: DeclineReason;
  message?: string;
  as?: UserId;
}

export interface CancelRequest {
  invitationId: string;
  as?: UserId;
}

export interface ConferenceRef {
  conferenceId: string;
  as?: UserId;
}

export interface ListInvitationsRequest {
  direction: Direction;
  pendingOnly?: boolean;
  /** 1..200, default 50. */
  limit?: number;
  as?: UserId;
}

export interface PresenceRequest {
  /** Up to 200. */
  userIds: UserId[];
}

export interface WebPushSubscription {
  endpoint: string;
  /** Accepted and ignored. */
  expirationTime?: number | null;
  keys: WebPushKeys;
}

export interface WebPushKeys {
  p256dh: string;
  auth: string;
}

export interface RegisterDeviceRequest {
  platform: Platform;
  /** Web Push: what `pushManager.subscribe` resolved to (its `toJSON()`). */
  subscription?: WebPushSubscription;
  /** FCM registration token or APNs device token. */
  token?: string;
  /** APNs: a VoIP push token. */
  voip?: boolean;
  label?: string;
  as?: UserId;
}

export interface UnregisterDeviceRequest {
  deviceId: string;
  as?: UserId;
}

export interface ListDevicesRequest {
  as?: UserId;
}

// ---- answers -----------------------------------------------------------------------------------

export interface Invitation {
  invitationId: string;
  conferenceId: string;
  alias: string;
  from: Party;
  to: Party;
  callType: CallType;
  message?: string;
  roomUrl?: string;
  state: InvitationState;
  reason?: DeclineReason;
  responseMessage?: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  respondedAt?: Timestamp;
  /** The invitee's conference access token (a JWT Beckon signs; keys at /.well-known/jwks.json). */
  accessToken?: string;
  /** At the moment of inviting, the invitee was in another call or being rung by another. */
  inviteeBusy: boolean;
  /** On webhooks' invitation.received: whether the invitee had an open stream. */
  online?: boolean;
}

export interface InvitationList {
  invitations: Invitation[];
}

export interface PresenceAnswer {
  presence: Record<UserId, PresenceState>;
}

export interface PresenceState {
  online: boolean;
  sessions: number;
}

export interface Participant {
  userId: UserId;
  name?: string;
  avatarUrl?: string;
  status: ParticipantStatus;
  permissions: Permission[];
  /** Their latest invitation. */
  invitationId?: string;
}

export interface Conference {
  conferenceId: string;
  alias: string;
  ownerId: UserId;
  callType: CallType;
  protected: boolean;
  message?: string;
  roomUrl?: string;
  settings: ConferenceSettings;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  state?: 'ACTIVE' | 'ENDED';
  endedAt?: Timestamp;
  participants: Participant[];
}

export interface CreatedConference {
  conferenceId: string;
  alias: string;
  ownerId: UserId;
  callType: CallType;
  protected: boolean;
  message?: string;
  roomUrl?: string;
  settings: ConferenceSettings;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  /** For protected conferences and server tokens. */
  ownerToken?: string;
  /** Server tokens only: each invitee's access token. */
  usersTokens?: Record<UserId, string>;
  invitations: Invitation[];
  /** The callee was ringing the caller already: their call was accepted instead of starting a second one. */
  glare?: boolean;
}

export interface Device {
  deviceId: string;
  platform: Platform;
  label?: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
}

export interface DeviceList {
  devices: Device[];
}

/** `GET /push/config`: the key browsers subscribe with, and whether FCM and APNs are on. */
export interface PushConfig {
  webpush?: WebPush | null;
  fcm: boolean;
  apns: boolean;
}

export interface WebPush {
  /** Base64url of the uncompressed P-256 public key, for `pushManager.subscribe`. */
  applicationServerKey: string;
}

export interface UnregisteredDevice {
  deviceId: string;
}

/** Beckon's error body. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  /** With conflict: the current state. */
  state?: string;
}

// ---- events ------------------------------------------------------------------------------------

/** A CloudEvents 1.0 event addressed to one user (`subject`). */
export interface CloudEvent<T extends string = string, D = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  time: Timestamp;
  subject: UserId;
  data: D;
}

export interface ParticipantChange {
  conferenceId: string;
  participant: Participant;
}

export interface EventData {
  'invitation.received': Invitation;
  'invitation.ringing': Invitation;
  'invitation.accepted': Invitation;
  'invitation.declined': Invitation;
  'invitation.canceled': Invitation;
  'invitation.expired': Invitation;
  'participant.added': ParticipantChange;
  'participant.updated': ParticipantChange;
  'conference.ended': Conference;
}

export type EventType = keyof EventData;

export type BeckonEvent = { [T in EventType]: CloudEvent<T, EventData[T]> }[EventType];

export declare const EVENT_TYPES: readonly EventType[];

// ---- errors ------------------------------------------------------------------------------------

export declare class BeckonError extends Error {
  /** The HTTP status; 0 when Beckon could not be reached. */
  readonly status: number;
  /** Beckon's `error` field; `network` when unreachable, `http_<status>` for a body that is not Beckon's. */
  readonly code: ErrorCode | 'network' | 'stream_ended' | 'stream_closed' | `http_${number}`;
  /** With a 409: the state that did not allow it (e.g. "CANCELED"). */
  readonly state?: string;
  /** With a 429: seconds to wait, from Retry-After. */
  readonly retryAfter?: number;
}

// ---- the client --------------------------------------------------------------------------------

export type TokenSource = string | (() => string | Promise<string>);

export interface BeckonClientOptions {
  /** Where Beckon is served, e.g. `https://beckon.example.com`. */
  baseUrl: string;
  /** A user or server token, or a function returning one (asked again after a 401). */
  token: TokenSource;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: the global EventSource, where there is one. */
  EventSource?: unknown;
  /** "auto" (default): EventSource where there is one (fetch once it gives up for good), else fetch. */
  transport?: 'auto' | 'fetch' | 'eventsource';
  /** Reconnect backoff of the event stream (default 500 ms doubling up to 30 s, with jitter). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** A stream that sends nothing (not even a heartbeat) for this long is reconnected (default 45 s). */
  heartbeatTimeoutMs?: number;
  /** How many event and invitation ids the stream remembers to drop repeats (default 1000). */
  rememberedEvents?: number;
}

export declare const FUNCTIONS: readonly FunctionName[];

export interface Functions {
  createConference: [CreateConferenceRequest, CreatedConference];
  invite: [InviteRequest, InvitationList];
  respond: [RespondRequest, Invitation];
  cancel: [CancelRequest, Invitation];
  leave: [ConferenceRef, Conference];
  getConference: [ConferenceRef, Conference];
  listInvitations: [ListInvitationsRequest, InvitationList];
  presence: [PresenceRequest, PresenceAnswer];
  registerDevice: [RegisterDeviceRequest, Device];
  unregisterDevice: [UnregisterDeviceRequest, UnregisteredDevice];
  listDevices: [ListDevicesRequest, DeviceList];
}

export type FunctionName = keyof Functions;

export declare class BeckonClient {
  constructor(options: BeckonClientOptions);

  createConference(body?: CreateConferenceRequest): Promise<CreatedConference>;
  invite(body: InviteRequest): Promise<InvitationList>;
  respond(body: RespondRequest): Promise<Invitation>;
  cancel(body: CancelRequest): Promise<Invitation>;
  leave(body: ConferenceRef): Promise<Conference>;
  getConference(body: ConferenceRef): Promise<Conference>;
  listInvitations(body: ListInvitationsRequest): Promise<InvitationList>;
  presence(body: PresenceRequest): Promise<PresenceAnswer>;
  registerDevice(body: RegisterDeviceRequest): Promise<Device>;
  unregisterDevice(body: UnregisterDeviceRequest): Promise<UnregisteredDevice>;
  listDevices(body?: ListDevicesRequest): Promise<DeviceList>;

  /** `respond` with action "accept". */
  accept(invitationId: string): Promise<Invitation>;
  /** `respond` with action "decline". */
  decline(invitationId: string, options?: { reason?: DeclineReason; message?: string }): Promise<Invitation>;

  /** Any function by name. */
  call<N extends FunctionName>(name: N, body: Functions[N][0]): Promise<Functions[N][1]>;

  /** Events of one type; the first `on` opens the stream. */
  on<T extends EventType>(type: T, handler: (event: CloudEvent<T, EventData[T]>) => void): this;
  /** Every event. */
  on(type: '*', handler: (event: BeckonEvent) => void): this;
  /** The stream (re)opened. */
  on(type: 'open', handler: () => void): this;
  /** The stream dropped (it reconnects by itself) or was refused. */
  on(type: 'error', handler: (error: BeckonError) => void): this;
  off(type: EventType | '*' | 'open' | 'error', handler: (...args: any[]) => void): this;

  /** The SSE id of the last event received: where the stream resumes. */
  readonly lastEventId: string;

  /** Ends the event stream for good. */
  close(): void;
}

/** The calls ringing for the signed-in user right now, kept from the client's events. */
export declare class Ringing {
  constructor(client: BeckonClient, onChange?: (invitations: Invitation[]) => void, options?: { limit?: number });
  /** Oldest first. */
  readonly invitations: Invitation[];
  readonly size: number;
  has(invitationId: string): boolean;
  stop(): void;
}

export interface SseMessage {
  type: string;
  data: string;
  lastEventId: string;
}

/** The Server-Sent Events parser the fetch transport uses. */
export declare class SseParser {
  constructor(onEvent: (message: SseMessage) => void, onRetry?: (milliseconds: number) => void);
  readonly lastEventId: string;
  push(text: string): void;
}
