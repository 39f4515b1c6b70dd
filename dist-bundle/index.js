import { createRequire as __keywardenCreateRequire } from 'node:module';
const require = __keywardenCreateRequire(import.meta.url);
import{displayMatch,redactValue}from"./chunks/chunk-MSMA67J4.js";import{CANARY_ACCOUNTS,accountIdFromKeyId,detect,getRule,ruleIds,rules,scanText}from"./chunks/chunk-V63ASERB.js";import"./chunks/chunk-KZLH7ZUF.js";export{CANARY_ACCOUNTS,accountIdFromKeyId,detect,displayMatch,getRule,redactValue,ruleIds,rules,scanText};
