// The APPSYNC_JS runtime of the local AWS: what `@aws-appsync/utils` and
// `@aws-appsync/utils/dynamodb` give a resolver, with AppSync's semantics.
//
// Loaded once into each V8 context by localaws/dataplane/appsync_js.py. A
// resolver's code is rewritten there from ES module syntax into a factory
// registered with __localaws.define(id, factory); __localaws.run(id, name,
// envelope) calls its `request` or `response` handler and answers JSON:
//   {value, stash, errors, error, earlyReturn, logs}
// `error` is set when the handler called util.error / util.unauthorized (the
// field resolves to null), `errors` holds util.appendError calls, and
// `earlyReturn` is true when runtime.earlyReturn skipped the data source.

var __localaws = (function () {
  'use strict';

  var modules = {};
  var state = null; // the invocation in progress

  function Signal(kind, payload) {
    this.kind = kind;
    this.payload = payload;
  }

  function errorEntry(message, errorType, data, errorInfo) {
    return {
      message: message === undefined || message === null ? '' : String(message),
      type: errorType === undefined ? null : errorType,
      data: data === undefined ? null : data,
      errorInfo: errorInfo === undefined ? null : errorInfo,
    };
  }

  // --- base64 / url (V8 alone has neither btoa nor TextEncoder) -------------
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  function utf8Bytes(text) {
    var bytes = [];
    var encoded = unescape(encodeURIComponent(String(text)));
    for (var i = 0; i < encoded.length; i += 1) bytes.push(encoded.charCodeAt(i));
    return bytes;
  }

  function base64Encode(text) {
    var bytes = utf8Bytes(text);
    var out = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
      out += i + 2 < bytes.length ? B64[n & 63] : '=';
    }
    return out;
  }

  function base64Decode(text) {
    var clean = String(text).replace(/[^A-Za-z0-9+/]/g, '');
    var binary = '';
    for (var i = 0; i < clean.length; i += 4) {
      var n = (B64.indexOf(clean[i]) << 18) | (B64.indexOf(clean[i + 1]) << 12)
        | ((B64.indexOf(clean[i + 2]) & 63) << 6) | (B64.indexOf(clean[i + 3]) & 63);
      binary += String.fromCharCode((n >> 16) & 255);
      if (i + 2 < clean.length) binary += String.fromCharCode((n >> 8) & 255);
      if (i + 3 < clean.length) binary += String.fromCharCode(n & 255);
    }
    return decodeURIComponent(escape(binary));
  }

  // --- time -------------------------------------------------------------------
  function now() {
    return state ? state.now : Date.now();
  }

  function pad(value, width) {
    var text = String(Math.abs(value));
    while (text.length < width) text = '0' + text;
    return text;
  }

  // Java DateTimeFormatter patterns (the common letters), as util.time uses them.
  function formatEpochMillis(millis, format, timezone) {
    var offsetMinutes = timezoneOffset(timezone);
    var date = new Date(millis + offsetMinutes * 60000);
    var fields = {
      yyyy: pad(date.getUTCFullYear(), 4), yy: pad(date.getUTCFullYear() % 100, 2),
      MM: pad(date.getUTCMonth() + 1, 2), dd: pad(date.getUTCDate(), 2),
      HH: pad(date.getUTCHours(), 2), mm: pad(date.getUTCMinutes(), 2),
      ss: pad(date.getUTCSeconds(), 2), SSS: pad(date.getUTCMilliseconds(), 3),
      Z: (offsetMinutes < 0 ? '-' : '+') + pad(Math.floor(Math.abs(offsetMinutes) / 60), 2)
        + pad(Math.abs(offsetMinutes) % 60, 2),
      XXX: offsetMinutes === 0 ? 'Z' : (offsetMinutes < 0 ? '-' : '+')
        + pad(Math.floor(Math.abs(offsetMinutes) / 60), 2) + ':' + pad(Math.abs(offsetMinutes) % 60, 2),
    };
    var tokens = ['yyyy', 'SSS', 'XXX', 'yy', 'MM', 'dd', 'HH', 'mm', 'ss', 'Z'];
    var out = '';
    var i = 0;
    var text = String(format);
    outer: while (i < text.length) {
      if (text[i] === "'") {
        var end = text.indexOf("'", i + 1);
        out += text.slice(i + 1, end < 0 ? text.length : end);
        i = end < 0 ? text.length : end + 1;
        continue;
      }
      for (var t = 0; t < tokens.length; t += 1) {
        if (text.substr(i, tokens[t].length) === tokens[t]) {
          out += fields[tokens[t]];
          i += tokens[t].length;
          continue outer;
        }
      }
      out += text[i];
      i += 1;
    }
    return out;
  }

  function timezoneOffset(timezone) {
    if (!timezone || timezone === 'UTC' || timezone === 'Z') return 0;
    var match = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(String(timezone));
    if (!match) return 0; // named zones other than UTC: UTC (no tz database in V8 here)
    var minutes = Number(match[2]) * 60 + Number(match[3] || 0);
    return match[1] === '-' ? -minutes : minutes;
  }

  // --- DynamoDB typed values --------------------------------------------------
  function toDynamoDB(value) {
    if (value === null || value === undefined) return { NULL: true };
    if (typeof value === 'string') return { S: value };
    if (typeof value === 'number') return { N: String(value) };
    if (typeof value === 'boolean') return { BOOL: value };
    if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
    var map = {};
    Object.keys(value).forEach(function (key) { map[key] = toDynamoDB(value[key]); });
    return { M: map };
  }

  function toMapValues(object) {
    var map = {};
    Object.keys(object || {}).forEach(function (key) { map[key] = toDynamoDB(object[key]); });
    return map;
  }

  var dynamodbUtil = {
    toDynamoDB: toDynamoDB,
    toDynamoDBJson: function (value) { return JSON.stringify(toDynamoDB(value)); },
    toMapValues: toMapValues,
    toMapValuesJson: function (object) { return JSON.stringify(toMapValues(object)); },
    toString: function (value) { return { S: String(value) }; },
    toStringJson: function (value) { return JSON.stringify({ S: String(value) }); },
    toNumber: function (value) { return { N: String(value) }; },
    toNumberJson: function (value) { return JSON.stringify({ N: String(value) }); },
    toBoolean: function (value) { return { BOOL: Boolean(value) }; },
    toBooleanJson: function (value) { return JSON.stringify({ BOOL: Boolean(value) }); },
    toNull: function () { return { NULL: true }; },
    toNullJson: function () { return JSON.stringify({ NULL: true }); },
    toBinary: function (value) { return { B: value }; },
    toBinaryJson: function (value) { return JSON.stringify({ B: value }); },
    toStringSet: function (values) { return { SS: values.map(String) }; },
    toStringSetJson: function (values) { return JSON.stringify({ SS: values.map(String) }); },
    toNumberSet: function (values) { return { NS: values.map(String) }; },
    toNumberSetJson: function (values) { return JSON.stringify({ NS: values.map(String) }); },
    toBinarySet: function (values) { return { BS: values }; },
    toList: function (values) { return { L: values.map(toDynamoDB) }; },
    toListJson: function (values) { return JSON.stringify({ L: values.map(toDynamoDB) }); },
    toMap: function (object) { return { M: toMapValues(object) }; },
    toMapJson: function (object) { return JSON.stringify({ M: toMapValues(object) }); },
  };

  // --- filters and conditions (util.transform, @aws-appsync/utils/dynamodb) ---
  var COMPARISONS = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };

  function ExpressionBuilder(prefix) {
    this.prefix = prefix;
    this.names = {};
    this.values = {};
    this.count = 0;
  }

  ExpressionBuilder.prototype.name = function (field) {
    var placeholder = '#' + this.prefix + '_' + String(field).replace(/[^A-Za-z0-9_]/g, '_');
    this.names[placeholder] = field;
    return placeholder;
  };

  ExpressionBuilder.prototype.value = function (value) {
    this.count += 1;
    var placeholder = ':' + this.prefix + '_' + this.count;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  };

  ExpressionBuilder.prototype.condition = function (filter) {
    var self = this;
    var parts = [];
    Object.keys(filter || {}).forEach(function (key) {
      var operand = filter[key];
      if (key === 'and' || key === 'or') {
        var inner = operand.map(function (item) { return '(' + self.condition(item) + ')'; });
        parts.push(inner.join(key === 'and' ? ' AND ' : ' OR '));
      } else if (key === 'not') {
        parts.push('(NOT (' + self.condition(operand) + '))');
      } else {
        parts.push(self.field(key, operand));
      }
    });
    return parts.join(' AND ');
  };

  ExpressionBuilder.prototype.field = function (field, operators) {
    var self = this;
    var name = this.name(field);
    return Object.keys(operators).map(function (op) {
      var operand = operators[op];
      if (COMPARISONS[op]) return '(' + name + ' ' + COMPARISONS[op] + ' ' + self.value(operand) + ')';
      if (op === 'between') return '(' + name + ' BETWEEN ' + self.value(operand[0]) + ' AND ' + self.value(operand[1]) + ')';
      if (op === 'beginsWith') return '(begins_with(' + name + ', ' + self.value(operand) + '))';
      if (op === 'contains') return '(contains(' + name + ', ' + self.value(operand) + '))';
      if (op === 'notContains') return '(NOT contains(' + name + ', ' + self.value(operand) + '))';
      if (op === 'attributeExists') return operand ? '(attribute_exists(' + name + '))' : '(attribute_not_exists(' + name + '))';
      if (op === 'attributeType') return '(attribute_type(' + name + ', ' + self.value(operand) + '))';
      if (op === 'in') {
        return '(' + name + ' IN (' + operand.map(function (v) { return self.value(v); }).join(', ') + '))';
      }
      util.error('Unsupported filter operator ' + op + ' on ' + field, 'LocalAwsUnsupported');
      return '';
    }).join(' AND ');
  };

  ExpressionBuilder.prototype.build = function (filter) {
    var expression = this.condition(filter);
    var result = { expression: expression, expressionNames: this.names };
    if (Object.keys(this.values).length) result.expressionValues = this.values;
    return result;
  };

  function expressionOf(filter, prefix) {
    return filter ? new ExpressionBuilder(prefix).build(filter) : undefined;
  }

  // --- util -------------------------------------------------------------------
  function typeOf(value) {
    if (value === null || value === undefined) return 'Null';
    if (Array.isArray(value)) return 'List';
    if (typeof value === 'object') return 'Map';
    if (typeof value === 'number') return 'Number';
    if (typeof value === 'boolean') return 'Boolean';
    return 'String';
  }

  var util = {
    error: function (message, errorType, data, errorInfo) {
      throw new Signal('error', errorEntry(message, errorType, data, errorInfo));
    },
    appendError: function (message, errorType, data, errorInfo) {
      state.errors.push(errorEntry(message, errorType, data, errorInfo));
    },
    unauthorized: function () {
      var info = (state && state.info) || {};
      throw new Signal('error', errorEntry('Not Authorized to access ' + info.fieldName + ' on type '
        + info.parentTypeName, 'Unauthorized'));
    },
    autoId: function () {
      var hex = '';
      for (var i = 0; i < 32; i += 1) hex += Math.floor(Math.random() * 16).toString(16);
      var variant = (8 + Math.floor(Math.random() * 4)).toString(16);
      return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-4' + hex.slice(13, 16) + '-' + variant
        + hex.slice(17, 20) + '-' + hex.slice(20, 32);
    },
    autoUlid: function () {
      var alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
      var time = now();
      var out = '';
      for (var i = 0; i < 10; i += 1) {
        out = alphabet[time % 32] + out;
        time = Math.floor(time / 32);
      }
      for (var j = 0; j < 16; j += 1) out += alphabet[Math.floor(Math.random() * 32)];
      return out;
    },
    autoKsuid: function () { return util.autoUlid(); },
    isNull: function (value) { return value === null || value === undefined; },
    isNullOrEmpty: function (value) { return value === null || value === undefined || String(value) === ''; },
    isNullOrBlank: function (value) { return value === null || value === undefined || String(value).trim() === ''; },
    defaultIfNull: function (value, fallback) { return value === null || value === undefined ? fallback : value; },
    defaultIfNullOrEmpty: function (value, fallback) { return util.isNullOrEmpty(value) ? fallback : value; },
    defaultIfNullOrBlank: function (value, fallback) { return util.isNullOrBlank(value) ? fallback : value; },
    isString: function (value) { return typeof value === 'string'; },
    isNumber: function (value) { return typeof value === 'number'; },
    isBoolean: function (value) { return typeof value === 'boolean'; },
    isList: function (value) { return Array.isArray(value); },
    isMap: function (value) { return typeOf(value) === 'Map'; },
    typeOf: typeOf,
    matches: function (pattern, text) { return new RegExp('^(?:' + pattern + ')$').test(String(text)); },
    escapeJavaScript: function (text) { return JSON.stringify(String(text)).slice(1, -1); },
    urlEncode: function (text) { return encodeURIComponent(String(text)); },
    urlDecode: function (text) { return decodeURIComponent(String(text)); },
    base64Encode: base64Encode,
    base64Decode: base64Decode,
    time: {
      nowISO8601: function () { return new Date(now()).toISOString(); },
      nowEpochSeconds: function () { return Math.floor(now() / 1000); },
      nowEpochMilliSeconds: function () { return now(); },
      nowFormatted: function (format, timezone) { return formatEpochMillis(now(), format, timezone); },
      parseISO8601ToEpochMilliSeconds: function (text) { return Date.parse(text); },
      epochMilliSecondsToSeconds: function (millis) { return Math.floor(millis / 1000); },
      epochMilliSecondsToISO8601: function (millis) { return new Date(millis).toISOString(); },
      epochMilliSecondsToFormatted: function (millis, format, timezone) {
        return formatEpochMillis(millis, format, timezone);
      },
    },
    str: {
      toUpper: function (text) { return String(text).toUpperCase(); },
      toLower: function (text) { return String(text).toLowerCase(); },
      toReplace: function (text, search, replacement) { return String(text).split(search).join(replacement); },
      normalize: function (text, form) { return String(text).normalize(form); },
    },
    math: {
      roundNum: function (value) { return Math.round(value); },
      minVal: function (a, b) { return Math.min(a, b); },
      maxVal: function (a, b) { return Math.max(a, b); },
      randomDouble: function () { return Math.random(); },
      randomWithinRange: function (low, high) { return low + Math.floor(Math.random() * (high - low + 1)); },
    },
    dynamodb: dynamodbUtil,
    transform: {
      // Both answer JSON text, as AppSync's do (resolvers JSON.parse them).
      toDynamoDBFilterExpression: function (filter) { return JSON.stringify(expressionOf(filter, 'filter')); },
      toDynamoDBConditionExpression: function (filter) { return JSON.stringify(expressionOf(filter, 'cond')); },
    },
    log: {
      info: function () { log('INFO', arguments); },
      error: function () { log('ERROR', arguments); },
    },
  };

  function log(level, args) {
    if (!state) return;
    var parts = [];
    for (var i = 0; i < args.length; i += 1) {
      parts.push(typeof args[i] === 'string' ? args[i] : JSON.stringify(args[i]));
    }
    state.logs.push(level + ' - ' + parts.join(' '));
  }

  var runtime = {
    earlyReturn: function (data) {
      throw new Signal('earlyReturn', data === undefined ? null : data);
    },
  };

  var extensions = {
    evictFromApiCache: function () { return null; },
    setSubscriptionFilter: function () { return null; },
    setSubscriptionInvalidationFilter: function () { return null; },
    invalidateSubscriptions: function () { return null; },
  };

  // --- @aws-appsync/utils/dynamodb ------------------------------------------
  function keyOf(key) { return toMapValues(key); }

  function withCondition(request, condition) {
    if (condition) request.condition = expressionOf(condition, 'cond');
    return request;
  }

  function projectionOf(projection) {
    if (!projection || !projection.length) return undefined;
    var builder = new ExpressionBuilder('proj');
    return { expression: projection.map(function (field) { return builder.name(field); }).join(', '),
      expressionNames: builder.names };
  }

  function Operation(kind, value) {
    this.kind = kind;
    this.value = value;
  }

  var operations = {
    add: function (value) { return new Operation('add', value); },
    remove: function () { return new Operation('remove'); },
    replace: function (value) { return new Operation('replace', value); },
    increment: function (by) { return new Operation('increment', by === undefined ? 1 : by); },
    decrement: function (by) { return new Operation('decrement', by === undefined ? 1 : by); },
    append: function (items) { return new Operation('append', items); },
    prepend: function (items) { return new Operation('prepend', items); },
    updateListItem: function (value, index) { return new Operation('updateListItem', { value: value, index: index }); },
  };

  function updateExpression(update) {
    var builder = new ExpressionBuilder('upd');
    var sets = [];
    var removes = [];
    var adds = [];
    Object.keys(update).forEach(function (field) {
      var change = update[field];
      var name = builder.name(field);
      if (!(change instanceof Operation)) {
        sets.push(name + ' = ' + builder.value(change));
      } else if (change.kind === 'remove') {
        removes.push(name);
      } else if (change.kind === 'replace') {
        sets.push(name + ' = ' + builder.value(change.value));
      } else if (change.kind === 'increment' || change.kind === 'decrement') {
        sets.push(name + ' = if_not_exists(' + name + ', ' + builder.value(0) + ') '
          + (change.kind === 'increment' ? '+ ' : '- ') + builder.value(change.value));
      } else if (change.kind === 'add') {
        adds.push(name + ' ' + builder.value(change.value));
      } else if (change.kind === 'append') {
        sets.push(name + ' = list_append(if_not_exists(' + name + ', ' + builder.value([]) + '), '
          + builder.value(change.value) + ')');
      } else if (change.kind === 'prepend') {
        sets.push(name + ' = list_append(' + builder.value(change.value) + ', if_not_exists(' + name + ', '
          + builder.value([]) + '))');
      } else if (change.kind === 'updateListItem') {
        sets.push(name + '[' + Number(change.value.index) + '] = ' + builder.value(change.value.value));
      }
    });
    var clauses = [];
    if (sets.length) clauses.push('SET ' + sets.join(', '));
    if (removes.length) clauses.push('REMOVE ' + removes.join(', '));
    if (adds.length) clauses.push('ADD ' + adds.join(', '));
    var result = { expression: clauses.join(' '), expressionNames: builder.names };
    if (Object.keys(builder.values).length) result.expressionValues = builder.values;
    return result;
  }

  function listRequest(operation, payload) {
    var request = { operation: operation };
    ['index', 'limit', 'nextToken', 'consistentRead', 'select', 'scanIndexForward', 'segment', 'totalSegments']
      .forEach(function (key) { if (payload[key] !== undefined) request[key] = payload[key]; });
    if (payload.query) request.query = expressionOf(payload.query, 'q');
    if (payload.filter) request.filter = expressionOf(payload.filter, 'f');
    if (payload.projection) request.projection = projectionOf(payload.projection);
    return request;
  }

  var dynamodbModule = {
    get: function (payload) {
      var request = { operation: 'GetItem', key: keyOf(payload.key) };
      if (payload.consistentRead !== undefined) request.consistentRead = payload.consistentRead;
      if (payload.projection) request.projection = projectionOf(payload.projection);
      return request;
    },
    put: function (payload) {
      var item = Object.assign({}, payload.item || {});
      Object.keys(payload.key || {}).forEach(function (key) { delete item[key]; });
      return withCondition({ operation: 'PutItem', key: keyOf(payload.key), attributeValues: toMapValues(item) },
        payload.condition);
    },
    remove: function (payload) {
      return withCondition({ operation: 'DeleteItem', key: keyOf(payload.key) }, payload.condition);
    },
    update: function (payload) {
      return withCondition({ operation: 'UpdateItem', key: keyOf(payload.key), update: updateExpression(payload.update) },
        payload.condition);
    },
    query: function (payload) { return listRequest('Query', payload); },
    scan: function (payload) { return listRequest('Scan', payload); },
    operations: operations,
  };

  modules['@aws-appsync/utils'] = { util: util, runtime: runtime, extensions: extensions };
  modules['@aws-appsync/utils/dynamodb'] = dynamodbModule;

  // --- resolver modules and invocation ---------------------------------------
  var loaded = {};

  // The factory runs once here (so module-level errors show at CreateResolver)
  // and again for every handler call: no state leaks from one request to the next.
  function define(id, factory) {
    factory(modules);
    loaded[id] = factory;
  }

  function contextOf(envelope) {
    var ctx = envelope.context || {};
    var args = ctx.arguments || ctx.args || {};
    var context = {
      arguments: args,
      args: args,
      source: ctx.source === undefined ? null : ctx.source,
      identity: ctx.identity === undefined ? null : ctx.identity,
      stash: ctx.stash || {},
      prev: ctx.prev || { result: null },
      request: ctx.request || { headers: {}, domainName: null },
      info: ctx.info || {},
      env: ctx.env || {},
    };
    if (ctx.result !== undefined) context.result = ctx.result;
    if (ctx.error !== undefined && ctx.error !== null) context.error = ctx.error;
    return context;
  }

  function run(id, name, envelopeJson) {
    var envelope = JSON.parse(envelopeJson);
    var context = contextOf(envelope);
    state = { now: envelope.now === undefined ? Date.now() : envelope.now, errors: [], logs: [], info: context.info };
    var answer = { value: null, error: null, earlyReturn: false };
    try {
      var handler = loaded[id] && loaded[id](modules)[name];
      if (typeof handler !== 'function') {
        answer.error = errorEntry('The code does not export a ' + name + ' function.', 'Code');
      } else {
        var value = handler(context);
        answer.value = value === undefined ? null : value;
      }
    } catch (caught) {
      if (caught instanceof Signal && caught.kind === 'earlyReturn') {
        answer.value = caught.payload;
        answer.earlyReturn = true;
      } else if (caught instanceof Signal) {
        answer.error = caught.payload;
      } else {
        answer.error = errorEntry(String(caught && caught.message !== undefined ? caught.message : caught),
          caught && caught.name ? caught.name : 'Code');
        answer.runtimeError = true;
      }
    }
    answer.stash = context.stash;
    answer.errors = state.errors;
    answer.logs = state.logs;
    state = null;
    return JSON.stringify(answer);
  }

  return { define: define, run: run, modules: modules };
}());

var console = {
  log: function () { __localaws.modules['@aws-appsync/utils'].util.log.info.apply(null, arguments); },
  info: function () { __localaws.modules['@aws-appsync/utils'].util.log.info.apply(null, arguments); },
  warn: function () { __localaws.modules['@aws-appsync/utils'].util.log.info.apply(null, arguments); },
  error: function () { __localaws.modules['@aws-appsync/utils'].util.log.error.apply(null, arguments); },
};
