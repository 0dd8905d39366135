// The timeout warning, as GOV.UK services warn before a session ends: a modal dialog
// opens shortly before the signed-in session ends for inactivity, counts down, and offers
// to stay signed in. If the session ends anyway, the page stays as it is: what was typed
// into a form is kept when it is saved (core/kept.py), and the dialog says so. Without
// JavaScript, pages with forms say in words when the session ends.

const KEPT_FIELD = 'input[name="typed_by"]'

function inWords (seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return `${minutes} minute${minutes === 1 ? '' : 's'}`
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`
}

function csrfToken () {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
  return match ? decodeURIComponent(match[1]) : ''
}

export class TimeoutWarning {
  constructor (dialog) {
    this.dialog = dialog
    this.warnBefore = Number(dialog.dataset.warnBefore)
    this.statusUrl = dialog.dataset.statusUrl
    this.extendUrl = dialog.dataset.extendUrl
    this.countdown = dialog.querySelector('[data-countdown]')
    this.announce = dialog.querySelector('[data-announce]')
    this.warning = dialog.querySelector('[data-state="warning"]')
    this.ended = dialog.querySelector('[data-state="ended"]')
    this.hasForm = document.querySelector(KEPT_FIELD) !== null
    for (const part of dialog.querySelectorAll('[data-if-form]')) {
      part.hidden = !this.hasForm
    }
    dialog.querySelector('[data-stay]').addEventListener('click', () => this.stay())
    dialog.querySelector('[data-close]').addEventListener('click', () => this.close())
    // Escape means "stay signed in" while there is still time, "back to the page" after.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      if (this.isOver) {
        this.close()
      } else {
        this.stay()
      }
    })
    this.schedule(Number(dialog.dataset.endsIn))
  }

  // Look again at the server `remaining - warnBefore` seconds from now: another tab may
  // have kept the session alive meanwhile.
  schedule (remaining) {
    clearTimeout(this.timer)
    this.deadline = Date.now() + remaining * 1000
    const wait = Math.max(0, remaining - this.warnBefore) * 1000
    this.timer = setTimeout(() => this.check(), wait)
  }

  async state (url, options = {}) {
    try {
      const response = await fetch(url, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'X-CSRFToken': csrfToken() },
        ...options
      })
      return response.ok ? await response.json() : null
    } catch {
      return null
    }
  }

  async check () {
    const state = await this.state(this.statusUrl)
    if (state && state.signed_in && state.remaining > this.warnBefore) {
      this.showEndTime(state)
      this.schedule(state.remaining)
      return
    }
    if (state) {
      this.deadline = Date.now() + state.remaining * 1000
    }
    this.open()
  }

  open () {
    this.isOver = false
    this.warning.hidden = false
    this.ended.hidden = true
    this.dialog.setAttribute('aria-labelledby', 'timeout-heading')
    this.dialog.setAttribute('aria-describedby', 'timeout-text')
    this.lastAnnounced = null
    if (!this.dialog.open) {
      this.returnFocus = document.activeElement
      this.dialog.showModal()
    }
    this.tick()
  }

  tick () {
    clearTimeout(this.ticker)
    const left = Math.ceil((this.deadline - Date.now()) / 1000)
    if (left <= 0) {
      this.expire()
      return
    }
    const words = inWords(left)
    this.countdown.textContent = words
    // Screen readers hear the time at each new minute, then every 15 seconds, not every
    // second (the visible countdown is not a live region).
    const step = left >= 60 ? words : inWords(Math.ceil(left / 15) * 15)
    if (step !== this.lastAnnounced) {
      this.lastAnnounced = step
      this.announce.textContent = `We will sign you out in ${step}.`
    }
    this.ticker = setTimeout(() => this.tick(), 1000)
  }

  async stay () {
    clearTimeout(this.ticker)
    const state = await this.state(this.extendUrl, { method: 'POST' })
    if (state && state.signed_in) {
      this.showEndTime(state)
      this.close()
      this.schedule(state.remaining)
    } else {
      this.expire()
    }
  }

  async expire () {
    clearTimeout(this.ticker)
    const state = await this.state(this.statusUrl)
    if (state && state.signed_in && state.remaining > 0) {
      // Kept alive in another tab.
      this.showEndTime(state)
      this.close()
      this.schedule(state.remaining)
      return
    }
    this.isOver = true
    this.warning.hidden = true
    this.ended.hidden = false
    const text = this.hasForm ? 'form' : 'page'
    for (const part of this.ended.querySelectorAll('[data-ended-text]')) {
      part.hidden = part.dataset.endedText !== text
    }
    this.ended.querySelector('[data-sign-in]').hidden = this.hasForm
    this.dialog.setAttribute('aria-labelledby', 'timeout-ended-heading')
    this.dialog.setAttribute(
      'aria-describedby', this.hasForm ? 'timeout-ended-text' : 'timeout-ended-text-page'
    )
    if (!this.dialog.open) {
      this.returnFocus = document.activeElement
      this.dialog.showModal()
    }
    this.ended.querySelector('[data-close]').focus()
  }

  close () {
    clearTimeout(this.ticker)
    if (this.dialog.open) {
      this.dialog.close()
    }
    if (this.returnFocus && this.returnFocus.focus) {
      this.returnFocus.focus()
    }
  }

  // The pages' own words for when the session ends, brought up to date.
  showEndTime (state) {
    for (const element of document.querySelectorAll('[data-session-ends-at]')) {
      element.textContent = state.ends_at
    }
  }
}

export function initTimeoutWarning () {
  const dialog = document.querySelector('[data-module="app-timeout-warning"]')
  if (dialog && typeof dialog.showModal === 'function') {
    return new TimeoutWarning(dialog)
  }
  return null
}
