// Every GraphQL document the console sends, in one module: read them to learn the public API,
// change them here. Mutations take one `input` and answer a payload: the object, or `errors`
// a UI can switch on (`code`, and `field` for the input at fault).

const MUTATION_ERRORS = "errors { code reason message field }";

const MENTION_FIELDS = `fragment MentionFields on Mention {
  id text language publishedAt url author { handle displayName followersCount }
}`;

const CRISIS_FIELDS = `fragment CrisisFields on Crisis {
  id brandId status severity openedAt signal baseline observed summary
}`;

const POST_FIELDS = `fragment PostFields on Post {
  id status author scheduledAt socialAccountIds etag
  variants { network text }
  approvalTrail { action actor comment at }
}`;

export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { token expiresAt member { id email displayName } ${MUTATION_ERRORS} }
}`;

export const BRANDS = `query Brands {
  brands(filter: { kind: OWN }, first: 50) {
    nodes { id displayName subsidiary { id displayName timeZone } }
  }
}`;

// The brand dashboard in one request: index, hourly sentiment, latest mentions, open crises.
export const DASHBOARD = `query Dashboard($brand: ID!, $start: DateTime!, $end: DateTime!, $zone: String!) {
  reputationIndex(brandId: $brand) { value previousValue summary windowStart windowEnd }
  measures(brandId: $brand, start: $start, end: $end, granularity: HOUR, timeZone: $zone) {
    dimensionValue
    points { start volume positive neutral negative netSentiment }
  }
  mentions(filter: { brandIds: [$brand] }, first: 20) {
    nodes { ...MentionFields sentiment { label confidence } }
  }
}
${MENTION_FIELDS}`;

export const OPEN_CRISES = `query OpenCrises {
  crises(filter: { statuses: [OPENED, ESCALATED] }, first: 10) { nodes { ...CrisisFields } }
}
${CRISIS_FIELDS}`;

// Live: a brand's mentions as captured, then again once scored (same mentionId).
export const MENTION_ADDED = `subscription MentionAdded($brand: ID!) {
  mentionAdded(brand: $brand) {
    change mentionId brandId
    mention { ...MentionFields }
    sentiment { label confidence }
  }
}
${MENTION_FIELDS}`;

// Live: crises opened, escalated or resolved in the caller's subsidiaries.
export const CRISIS_CHANGED = `subscription CrisisChanged {
  crisisChanged { change subsidiaryId crisis { ...CrisisFields } }
}
${CRISIS_FIELDS}`;

export const POST_STATUS_CHANGED = `subscription PostStatusChanged($brand: ID) {
  postStatusChanged(brand: $brand) { status brandId reason post { id status } }
}`;

export const SOCIAL_ACCOUNTS = `query SocialAccounts($brand: ID!) {
  brand(id: $brand) {
    socialAccounts(first: 100) { nodes { id network handle timeZone tokenHealth } }
  }
}`;

// A network's verdict on a text before anything is saved (length by its own rules, etc.).
export const VALIDATE_TEXT = `query ValidateText($network: Network!, $text: String!) {
  validateText(network: $network, text: $text) {
    valid length limit problems { code message start end }
  }
}`;

export const POSTS = `query Posts($brand: ID!, $statuses: [String!]) {
  posts(filter: { brandId: $brand, statuses: $statuses }, first: 50) { nodes { ...PostFields } }
}
${POST_FIELDS}`;

// A brand's publishing queue: held (a crisis opened, or by hand) means nothing goes out.
export const QUEUE = `query Queue($id: ID!) {
  queue(id: $id) { id held holdReason heldAt }
}`;

// Lists carry no approval trail (it is read per post): the console asks for it on demand.
export const POST_TRAIL = `query PostTrail($id: ID!) {
  post(id: $id) { id approvalTrail { action actor comment at } }
}`;

export const CREATE_POST = `mutation CreatePost($input: CreatePostInput!) {
  createPost(input: $input) { post { ...PostFields } ${MUTATION_ERRORS} }
}
${POST_FIELDS}`;

export const SUBMIT_POST = `mutation SubmitPost($input: SubmitPostInput!) {
  submitPost(input: $input) { post { ...PostFields } ${MUTATION_ERRORS} }
}
${POST_FIELDS}`;

export const APPROVE_POST = `mutation ApprovePost($input: ApprovePostInput!) {
  approvePost(input: $input) { post { ...PostFields } ${MUTATION_ERRORS} }
}
${POST_FIELDS}`;

export const REJECT_POST = `mutation RejectPost($input: RejectPostInput!) {
  rejectPost(input: $input) { post { ...PostFields } ${MUTATION_ERRORS} }
}
${POST_FIELDS}`;

export const SCHEDULE_POST = `mutation SchedulePost($input: SchedulePostInput!) {
  schedulePost(input: $input) { post { ...PostFields } ${MUTATION_ERRORS} }
}
${POST_FIELDS}`;
