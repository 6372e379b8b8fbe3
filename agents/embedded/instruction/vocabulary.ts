/**
 * Words the instruction reader knows: verbs that are also the labels of the controls doing them
 * (with the labels other apps use for the same act), the nouns that only say what kind of thing
 * an object is, and the phrasings of flipping a switch.
 */

/** verb → labels to look for, most likely first. */
export const ACTION_VERBS: Record<string, string[]> = {
  approve: ['Approve', 'Accept'],
  accept: ['Accept', 'Approve'],
  reject: ['Reject', 'Decline', 'Deny'],
  decline: ['Decline', 'Reject'],
  deny: ['Deny', 'Reject'],
  remove: ['Remove', 'Delete'],
  delete: ['Delete', 'Remove'],
  trash: ['Delete', 'Trash'],
  archive: ['Archive'],
  unarchive: ['Unarchive', 'Restore'],
  restore: ['Restore'],
  edit: ['Edit'],
  modify: ['Edit'],
  rename: ['Rename'],
  duplicate: ['Duplicate', 'Copy'],
  share: ['Share'],
  download: ['Download'],
  upload: ['Upload'],
  export: ['Export'],
  import: ['Import'],
  print: ['Print'],
  save: ['Save'],
  cancel: ['Cancel'],
  submit: ['Submit'],
  send: ['Send'],
  reply: ['Reply'],
  forward: ['Forward'],
  retweet: ['Retweet'],
  like: ['Like'],
  star: ['Star'],
  unstar: ['Unstar'],
  // A layer's or a column's eye and lock: the words are rarely shown, the icons are.
  hide: ['Hide', 'eye'],
  unhide: ['Show', 'eye'],
  lock: ['Lock'],
  unlock: ['Unlock', 'lock'],
  follow: ['Follow'],
  unfollow: ['Unfollow'],
  invite: ['Invite'],
  call: ['Call'],
  email: ['Email'],
  view: ['View', 'Details'],
  refresh: ['Refresh', 'Reload'],
  reload: ['Reload', 'Refresh'],
  start: ['Start'],
  stop: ['Stop'],
  restart: ['Restart', 'Reboot'],
  reboot: ['Reboot', 'Restart'],
  resume: ['Resume'],
  pause: ['Pause'],
  retry: ['Retry'],
  undo: ['Undo'],
  redo: ['Redo'],
  publish: ['Publish'],
  deploy: ['Deploy'],
  assign: ['Assign'],
  resolve: ['Resolve'],
  reopen: ['Reopen'],
  join: ['Join'],
  leave: ['Leave'],
  book: ['Book'],
  buy: ['Buy', 'Buy now'],
  checkout: ['Checkout', 'Check out'],
  continue: ['Continue', 'Next'],
  next: ['Next'],
  // A stepper's buttons: "increase guests" is the plus by "Guests" (its icon when it has no text).
  increase: ['plus', '+'],
  decrease: ['minus', '-'],
  back: ['Back'],
  apply: ['Apply'],
  login: ['Log in', 'Sign in'],
  logout: ['Log out', 'Sign out'],
  signin: ['Sign in', 'Log in'],
  signout: ['Sign out', 'Log out'],
  register: ['Register', 'Sign up'],
  subscribe: ['Subscribe'],
  unsubscribe: ['Unsubscribe'],
  add: ['Add'],
  create: ['Create', 'New'],
  mute: ['Mute'],
  unmute: ['Unmute'],
  block: ['Block'],
  report: ['Report'],
  dismiss: ['Dismiss', 'Close'],
};

/** Nouns that only say what sort of thing an object is ("the request from Dana" is Dana). */
export const GENERIC_NOUNS =
  /\b(?:request|requests|row|rows|line|entry|record|item|items|user|member|person|account|invoice|order|ticket|task|issue|message|email|mail|file|document|doc|project|card|panel|tile|section|event|meeting|activity|contact|deal|product|instance|server|vm|post|tweet|comment|thread|conversation|chat|layer|episode|track|song|recipe|one|button|link|icon)\b/gi;

/** Objects that sit on cards or panels rather than in table rows. */
export const CARD_WORDS = /\b(?:card|panel|tile|section|box|widget|column|sidebar|dialog|modal|window|pane)\b|卡片|面板|区域/i;

/**
 * "turn on Dark mode", "enable two-factor authentication", "switch off Wi-Fi", "toggle X",
 * "开启深色模式", "关闭消息通知": flip the switch beside the words ("turn comments off on this one" too).
 */
export const TOGGLE_ON_OFF =
  /^(?:turn|switch|flip|toggle|set)\s+(?:on|off)\s+(?:the\s+)?(.+?)(?:\s+(?:switch|toggle|setting|option))?$|^(?:enable|disable|activate|deactivate|toggle)\s+(?:the\s+)?(.+?)(?:\s+(?:switch|toggle|setting|option))?$|^(?:开启|启用|禁用|关掉|关闭|打开)\s*(.+?)(?:的)?(?:开关)$|^(?:turn|switch|flip|toggle)\s+(?:the\s+)?(.+?)(?:\s+(?:switch|toggle|setting|option))?\s+(?:on|off)(?:\s+(?:on|for)\s+(?:this|that)\s+(?:one|post|page|item|video|article|doc(?:ument)?))?$/i;

/** A part that starts with a verb is an instruction of its own. */
export const VERB_FIRST = /^(?:click|tap|press|push|hit|select|choose|pick|open|type|enter|fill|check|uncheck|tick|untick|hover|go|scroll|drag|find|set|turn|switch|toggle|close|点击|点|按|选择|勾选|输入|打开)\b/i;
